package io.cvatfunction.contract;

/** The Nuclio function files {@code cvat:spec} writes and {@code cvat:deploy} reads. */
public final class NuclioFiles {

  /** The GPU variant's file name, as CVAT's deploy scripts expect it. */
  public static final String GPU_FILE = "function-gpu.yaml";

  /** The CPU variant's file name. */
  public static final String CPU_FILE = "function.yaml";

  private NuclioFiles() {}
}
