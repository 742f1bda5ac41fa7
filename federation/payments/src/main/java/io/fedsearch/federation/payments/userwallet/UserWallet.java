package io.fedsearch.federation.payments.userwallet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An open wallet directory: its key ({@link WalletVault}), its state ({@link WalletState}) and an exclusive lock
 * held until {@link #close}, so two commands on one wallet can never both sign the "next" claim.
 */
public final class UserWallet implements AutoCloseable {
  static final String LOCK_FILE = ".lock";

  private final Path dir;
  private final WalletKey key;
  private final WalletState state;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private UserWallet(Path dir, WalletKey key, WalletState state, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.key = key;
    this.state = state;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Creates a wallet in {@code dir} (mode 700) with {@code key}; refuses when one is there already. */
  public static UserWallet create(Path dir, WalletKey key) {
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create wallet directory " + dir, e);
    }
    WalletVault.store(dir, key);
    UserWallet w = open(dir);
    w.save();
    return w;
  }

  /** Opens the wallet in {@code dir}, waiting for another command that holds it. */
  public static UserWallet open(Path dir) {
    if (!WalletVault.exists(dir)) {
      throw new IllegalStateException("no wallet in " + dir + " (run `fedsearch wallet init`)");
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = ch.lock();
      return new UserWallet(dir, WalletVault.load(dir), WalletState.load(dir), ch, lock);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new UncheckedIOException("cannot lock wallet " + dir, e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }

  public Path dir() {
    return dir;
  }

  public WalletKey key() {
    return key;
  }

  public WalletState state() {
    return state;
  }

  public ReceiptKeys receiptKeys() {
    return new ReceiptKeys(key);
  }

  /** Writes the state durably (returns once on disk). */
  public void save() {
    state.save(dir);
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(lockChannel);
  }
}
