package io.fedsearch.federation.p2p;

/**
 * Serves one inbound stream of a registered protocol, on its own virtual thread. When it returns the host
 * half-closes the stream; when it throws, the host resets it and logs the reason.
 */
@FunctionalInterface
public interface StreamHandler {
  void handle(Stream stream) throws Exception;
}
