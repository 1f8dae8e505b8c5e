package io.cvatfunction.runtime;

import ai.djl.ndarray.NDManager;

/** Tensors for tests that decode hand-made outputs: a CPU manager, DJL offline as the server runs it. */
public final class TestManagers {

  private TestManagers() {}

  /** A new base manager on the CPU; close it after the tests ({@code @AutoClose}). */
  public static NDManager cpu() {
    System.setProperty("ai.djl.offline", "true");
    return NDManager.newBaseManager("PyTorch");
  }
}
