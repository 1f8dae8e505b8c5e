package io.cvatfunction.runtime.yolo;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Turns a device setting ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}) into a DJL device. */
public final class Devices {

  private Devices() {}

  /**
   * Picks the device. {@code auto} takes the first GPU when DJL sees one, or when a CUDA libtorch
   * ({@code PYTORCH_FLAVOR=cu...}) can put a tensor on it — DJL's own check misses GPUs in driver-only
   * containers — else the CPU. {@code gpu} is taken as given.
   */
  public static Device select(String setting) {
    String value = setting == null ? "auto" : setting.trim().toLowerCase(java.util.Locale.ROOT);
    if (value.equals("auto")) {
      return Engine.getEngine("PyTorch").getGpuCount() > 0 || cudaLibtorchWorks() ? Device.gpu() : Device.cpu();
    }
    if (value.equals("cpu")) {
      return Device.cpu();
    }
    if (value.equals("gpu")) {
      return Device.gpu();
    }
    if (value.matches("gpu:\\d+")) {
      return Device.gpu(Integer.parseInt(value.substring(4)));
    }
    throw new IllegalArgumentException("unknown device '" + setting + "': use auto, cpu, gpu or gpu:N");
  }

  private static boolean cudaLibtorchWorks() {
    String flavor = System.getenv("PYTORCH_FLAVOR");
    if (flavor == null || !flavor.startsWith("cu")) {
      return false;
    }
    try (NDManager manager = NDManager.newBaseManager(Device.gpu(), "PyTorch")) {
      manager.zeros(new Shape(1)).toFloatArray();
      return true;
    } catch (RuntimeException noGpu) {
      return false;
    }
  }
}
