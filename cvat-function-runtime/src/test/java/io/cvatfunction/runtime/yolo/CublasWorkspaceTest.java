package io.cvatfunction.runtime.yolo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cvatfunction.runtime.yolo.NativeEnvironmentTest.Unset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CublasWorkspaceTest {

  @BeforeEach
  @AfterEach
  void unset() {
    Unset.LIBC.unsetenv(CublasWorkspace.VARIABLE);
  }

  @Test
  void eachThreadGetsPyTorchsWorkspaceForTheGpusBeforeHopper() {
    assertEquals(Optional.of(":4096:2:16:8"), CublasWorkspace.limit());
    assertEquals(Optional.of(":4096:2:16:8"), NativeEnvironment.get(CublasWorkspace.VARIABLE));
  }

  @Test
  void aWorkspaceTheProcessWasGivenIsKept() {
    NativeEnvironment.setIfAbsent(CublasWorkspace.VARIABLE, ":16:8");
    assertEquals(Optional.of(":16:8"), CublasWorkspace.limit());
  }
}
