package io.cvatfunction.runtime.yolo;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Optional;

/**
 * The process environment as native libraries read it: libc's, which {@link System#getenv} only copied when the
 * JVM started, so that a variable set here reaches libtorch and not Java.
 */
final class NativeEnvironment {

  private NativeEnvironment() {}

  private interface LibC extends Library {
    LibC INSTANCE = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

    String getenv(String name);

    int setenv(String name, String value, int overwrite);
  }

  /** The value of {@code name} in the native environment, if set. */
  static Optional<String> get(String name) {
    return Optional.ofNullable(LibC.INSTANCE.getenv(checked(name)));
  }

  /**
   * Sets {@code name} unless the environment has it already. libc's environment is not safe to change while
   * another thread reads it: call this while the process starts, before the library that reads it runs.
   *
   * @return the value in force afterwards: {@code value}, or the one the process was given
   */
  static String setIfAbsent(String name, String value) {
    if (LibC.INSTANCE.setenv(checked(name), value, 0) != 0) {
      throw new IllegalStateException("setenv(" + name + ") failed: errno " + Native.getLastError());
    }
    return get(name).orElseThrow();
  }

  private static String checked(String name) {
    if (name.isEmpty() || name.indexOf('=') >= 0) {
      throw new IllegalArgumentException("'" + name + "' is not an environment variable's name");
    }
    return name;
  }
}
