package io.fedsearch.web.testing;

import io.fedsearch.web.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@code Main} with one extra thread that waits for a trigger file, then fails the way the test asks
 * ({@code -Dfedsearch.test.fatal=oom-virtual|stack-platform}): really running out of heap on a virtual thread, or
 * overflowing its stack on a platform thread. Nothing catches the error; what the process does next is the test.
 */
public final class FatalErrorChild {
  private FatalErrorChild() {}

  public static void main(String[] args) {
    Path trigger = Path.of(System.getProperty("fedsearch.test.trigger"));
    String kind = System.getProperty("fedsearch.test.fatal");
    Runnable fail = kind.equals("oom-virtual") ? FatalErrorChild::exhaustHeap : () -> recurse(0);
    Runnable waitThenFail = () -> {
      while (!Files.exists(trigger)) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
      fail.run();
    };
    if (kind.equals("oom-virtual")) {
      Thread.ofVirtual().name("hog").start(waitThenFail);
    } else {
      Thread.ofPlatform().name("deep").daemon().start(waitThenFail);
    }
    Main.main(args);
  }

  private static void exhaustHeap() {
    List<long[]> hog = new ArrayList<>();
    while (true) {
      hog.add(new long[1 << 17]); // 1 MiB at a time, all kept
    }
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }
}
