package io.fedsearch.web.node;

/**
 * A virtual-machine error (out of memory, stack overflow, an internal JVM error) anywhere in the process stops
 * it. After one, any thread may have died half-way through its work — a p2p reader, the payments committer, a
 * timer — and a node that keeps running that way answers some requests and silently drops others while its health
 * still looks fine. Stopping lets a supervisor restart it whole; nothing is lost that was acknowledged, because
 * nothing is acknowledged before it is durable.
 *
 * <p>The process halts rather than exits: shutdown hooks would close the node, which needs memory and threads
 * the error may have taken, and a hook that blocks is the zombie this avoids. Errors the code catches itself never
 * reach an uncaught-exception handler; the HTTP routes hand theirs to {@link #halt} too, and the launcher runs the
 * JVM with {@code -XX:+ExitOnOutOfMemoryError} for the rest.
 */
public final class FatalErrors {
  /** Exit status after a fatal error (EX_SOFTWARE). */
  public static final int EXIT_STATUS = 70;

  private FatalErrors() {}

  /** Makes every uncaught virtual-machine error, on any thread (virtual ones included), halt the process. */
  public static void install() {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
      if (isFatal(error)) {
        halt(thread, error);
      }
      if (previous != null) {
        previous.uncaughtException(thread, error);
      } else {
        System.err.print("Exception in thread \"" + thread.getName() + "\" ");
        error.printStackTrace();
      }
    });
  }

  /** Whether {@code e}, or anything that caused it, is a virtual-machine error. */
  public static boolean isFatal(Throwable e) {
    for (int depth = 0; e != null && depth < 32; depth++, e = e.getCause()) {
      if (e instanceof VirtualMachineError) {
        return true;
      }
    }
    return false;
  }

  /** Says why on stderr (as far as memory allows) and halts the process. Never returns. */
  public static void halt(Thread thread, Throwable error) {
    try {
      System.err.println("fedsearch: fatal " + error + " in thread " + thread.getName()
          + "; stopping the process (everything acknowledged is durable)");
      System.err.flush();
    } catch (Throwable ignored) {
      // out of memory even for the message: halt regardless
    }
    Runtime.getRuntime().halt(EXIT_STATUS);
  }
}
