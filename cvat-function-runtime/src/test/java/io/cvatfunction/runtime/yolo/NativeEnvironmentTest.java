package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NativeEnvironmentTest {

  /** What the tests undo: the runtime itself never removes a variable. */
  interface Unset extends Library {
    Unset LIBC = Native.load(Platform.C_LIBRARY_NAME, Unset.class);

    int unsetenv(String name);
  }

  private static final String NAME = "CVAT_FUNCTION_NATIVE_ENVIRONMENT_TEST";

  @AfterEach
  void unset() {
    Unset.LIBC.unsetenv(NAME);
  }

  @Test
  void aVariableSetHereIsSeenByNativeCodeNotByJava() {
    assertEquals("first", NativeEnvironment.setIfAbsent(NAME, "first"));
    assertEquals(Optional.of("first"), NativeEnvironment.get(NAME));
    assertNull(System.getenv(NAME), "Java's copy was taken when the JVM started");
  }

  @Test
  void aValueTheProcessHasIsKept() {
    NativeEnvironment.setIfAbsent(NAME, "given");
    assertEquals("given", NativeEnvironment.setIfAbsent(NAME, "ours"));
  }

  @Test
  void aNameThatCannotBeAVariableIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NativeEnvironment.setIfAbsent("A=B", "x"));
    assertTrue(e.getMessage().contains("'A=B'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NativeEnvironment.get(""));
  }
}
