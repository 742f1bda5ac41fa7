package io.fedsearch.federation.p2p;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The hosts a test starts, stopped after it ({@code @RegisterExtension final StartedHosts hosts = ...}). */
final class StartedHosts implements AfterEachCallback {
  private final List<Host> hosts = new CopyOnWriteArrayList<>();

  /** Builds and starts a host; it is stopped when the test ends, however it ends. */
  Host start(HostBuilder builder) throws IOException {
    Host h = builder.build();
    hosts.add(h);
    h.start();
    return h;
  }

  int size() {
    return hosts.size();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    hosts.forEach(Host::stop);
    hosts.clear();
  }
}
