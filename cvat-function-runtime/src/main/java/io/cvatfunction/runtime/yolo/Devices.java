package io.cvatfunction.runtime.yolo;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Turns a device setting ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}) into a DJL device. */
public final class Devices {

  private Devices() {}

  /**
   * Picks the device. {@code auto} takes the first GPU when DJL sees one, else the CPU; {@code gpu} is
   * trusted without DJL's check, which misses GPUs in driver-only containers.
   */
  public static Device select(String setting) {
    String value = setting == null ? "auto" : setting.trim().toLowerCase(java.util.Locale.ROOT);
    if (value.equals("auto")) {
      return Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
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
}
