package io.fedsearch.federation.payments.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.fedsearch.federation.payments.channel.ChannelTerms;
import io.fedsearch.federation.payments.channel.XrplTime;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.xrpl.xrpl4j.client.JsonRpcClientErrorException;
import org.xrpl.xrpl4j.client.JsonRpcRequest;
import org.xrpl.xrpl4j.client.XrplClient;
import org.xrpl.xrpl4j.crypto.keys.PublicKey;
import org.xrpl.xrpl4j.model.client.XrplRequestParams;
import org.xrpl.xrpl4j.model.client.accounts.AccountChannelsRequestParams;
import org.xrpl.xrpl4j.model.client.accounts.AccountChannelsResult;
import org.xrpl.xrpl4j.model.client.accounts.PaymentChannelResultObject;
import org.xrpl.xrpl4j.model.client.common.LedgerSpecifier;
import org.xrpl.xrpl4j.model.client.ledger.LedgerEntryRequestParams;
import org.xrpl.xrpl4j.model.ledger.PayChannelObject;
import org.xrpl.xrpl4j.model.transactions.Address;
import org.xrpl.xrpl4j.model.transactions.Hash256;
import org.xrpl.xrpl4j.model.transactions.Marker;

/**
 * {@link Ledger} over rippled's JSON-RPC with xrpl4j's {@link XrplClient}: channel state through the typed
 * {@code ledgerEntry} / {@code accountChannels}; submission, fee, sequence and transaction status through the same
 * client's raw JSON-RPC ({@code submit} takes our stored blob as is; the typed account_info / fee / tx results
 * require dozens of fields we do not use).
 */
public final class XrplLedger implements Ledger {
  private final XrplClient client;

  public XrplLedger(String url) {
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new IllegalArgumentException("invalid rippled URL: " + url);
    }
    this.client = new XrplClient(parsed, Duration.ofSeconds(5), Duration.ofSeconds(20));
  }

  @Override
  public Optional<ChannelTerms> channel(String channelId) {
    try {
      PayChannelObject o = client.ledgerEntry(
          LedgerEntryRequestParams.paymentChannel(Hash256.of(channelId), LedgerSpecifier.VALIDATED)).node();
      return Optional.of(new ChannelTerms(o.index().value().toUpperCase(Locale.ROOT), o.account().value(),
          o.destination().value(), PublicKey.fromBase16EncodedPublicKey(o.publicKey()),
          o.amount().value().longValue(), o.balance().value().longValue(), o.settleDelay().longValue(),
          o.cancelAfter().map(u -> XrplTime.toInstant(u.longValue())),
          o.expiration().map(u -> XrplTime.toInstant(u.longValue())), true));
    } catch (JsonRpcClientErrorException e) {
      if (String.valueOf(e.getMessage()).contains("entryNotFound")) {
        return Optional.empty();
      }
      throw new IllegalStateException("ledger_entry failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<ChannelTerms> channelsFrom(String account) {
    List<ChannelTerms> out = new ArrayList<>();
    Optional<Marker> marker = Optional.empty();
    for (int page = 0; page < 1000; page++) {
      try {
        AccountChannelsResult r = client.accountChannels(AccountChannelsRequestParams.builder()
            .account(Address.of(account)).ledgerSpecifier(LedgerSpecifier.VALIDATED).marker(marker).build());
        for (PaymentChannelResultObject o : r.channels()) {
          out.add(new ChannelTerms(o.channelId().value().toUpperCase(Locale.ROOT), o.account().value(),
              o.destinationAccount().value(), PublicKey.fromBase16EncodedPublicKey(o.publicKeyHex().orElseThrow()),
              o.amount().value().longValue(), o.balance().value().longValue(), o.settleDelay().longValue(),
              o.cancelAfter().map(u -> XrplTime.toInstant(u.longValue())),
              o.expiration().map(u -> XrplTime.toInstant(u.longValue())), true));
        }
        marker = r.marker();
        if (marker.isEmpty()) {
          break;
        }
      } catch (JsonRpcClientErrorException e) {
        throw new IllegalStateException("account_channels failed: " + e.getMessage(), e);
      }
    }
    return out;
  }

  @Override
  public long accountSequence(String account) {
    JsonNode r = call("account_info", new Params(account, null, "validated", null, null, null, null, null));
    return r.path("account_data").path("Sequence").asLong();
  }

  @Override
  public AccountRoot account(String account) {
    JsonNode d = call("account_info", new Params(account, null, "validated", null, null, null, null, null))
        .path("account_data");
    if (!d.path("Balance").isTextual()) {
      throw new IllegalStateException("account_info of " + account + " has no XRP Balance");
    }
    return new AccountRoot(Long.parseLong(d.path("Balance").asText()), d.path("Sequence").asLong(),
        d.path("OwnerCount").asLong(0));
  }

  /**
   * server_info's {@code validated_ledger}: reserve_base_xrp and reserve_inc_xrp are decimal XRP (an XRP amount has
   * at most six decimals; were a parser to blur one, rounding up keeps more back, never less).
   */
  @Override
  public Reserves reserves() {
    JsonNode v = call("server_info", new Params(null, null, null, null, null, null, null, null))
        .path("info").path("validated_ledger");
    if (!v.path("reserve_base_xrp").isNumber() || !v.path("reserve_inc_xrp").isNumber()) {
      throw new IllegalStateException("server_info names no reserves of a validated ledger");
    }
    return new Reserves(drops(v.path("reserve_base_xrp")), drops(v.path("reserve_inc_xrp")));
  }

  private static long drops(JsonNode xrp) {
    return xrp.decimalValue().movePointRight(6).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  @Override
  public long validatedLedgerIndex() {
    JsonNode r = call("ledger", new Params(null, null, "validated", null, null, null, null, null));
    return r.path("ledger_index").asLong(r.path("ledger").path("ledger_index").asLong());
  }

  @Override
  public long feeDrops() {
    JsonNode drops = call("fee", new Params(null, null, null, null, null, null, null, null)).path("drops");
    return Math.max(drops.path("open_ledger_fee").asLong(10), drops.path("base_fee").asLong(10));
  }

  @Override
  public String submit(String blobHex) {
    return call("submit", new Params(null, blobHex, null, null, null, null, null, null)).path("engine_result")
        .asText("");
  }

  @Override
  public Optional<String> validatedResult(String hash) {
    JsonNode r = client.getJsonRpcClient().postRpcRequest(request("tx",
        new Params(null, null, null, hash, null, null, null, null)));
    JsonNode result = r.path("result");
    if (!result.path("validated").asBoolean(false)) {
      return Optional.empty();
    }
    return Optional.of(result.path("meta").path("TransactionResult").asText("unknown"));
  }

  @Override
  public TxStatus transaction(String hash, long minLedger, long maxLedger) {
    JsonNode r = client.getJsonRpcClient().postRpcRequest(request("tx",
        new Params(null, null, null, hash, null, null, minLedger, maxLedger))).path("result");
    if (r.path("validated").asBoolean(false)) {
      return new TxStatus(TxStatus.State.VALIDATED, r.path("meta").path("TransactionResult").asText("unknown"));
    }
    // txnNotFound is final only when the server had every ledger of the range (it may have been offline, or
    // deleted old ledgers): reliable submission must not conclude "failed" from a partial search
    if ("txnNotFound".equals(r.path("error").asText()) && r.path("searched_all").asBoolean(false)) {
      return TxStatus.NOT_FOUND;
    }
    return TxStatus.UNKNOWN;
  }

  private JsonNode call(String method, Params params) {
    JsonNode r = client.getJsonRpcClient().postRpcRequest(request(method, params)).path("result");
    if ("error".equals(r.path("status").asText())) {
      throw new IllegalStateException(method + " failed: " + r.path("error").asText() + " "
          + r.path("error_message").asText(""));
    }
    return r;
  }

  private static JsonRpcRequest request(String method, Params params) {
    return JsonRpcRequest.builder().method(method).addParams(params).build();
  }

  /** JSON-RPC params for the raw calls; null fields are left out by xrpl4j's mapper. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Params(
      @JsonProperty("account") String account,
      @JsonProperty("tx_blob") String txBlob,
      @JsonProperty("ledger_index") String ledgerIndex,
      @JsonProperty("transaction") String transaction,
      @JsonProperty("binary") Boolean binary,
      @JsonProperty("strict") Boolean strict,
      @JsonProperty("min_ledger") Long minLedger,
      @JsonProperty("max_ledger") Long maxLedger) implements XrplRequestParams {}
}
