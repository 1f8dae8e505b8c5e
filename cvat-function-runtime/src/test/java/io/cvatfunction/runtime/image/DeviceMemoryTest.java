package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The hand-over nvJPEG uses — a native library writing into a tensor's memory at its address — shown here on a
 * CPU tensor, where the bytes can be written from Java: the tensor sees them without a copy.
 */
class DeviceMemoryTest {

  @Test
  void writesAtTheAddressAreTheTensorsContents() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray planes = manager.create(new Shape(2, 3, 4), DataType.UINT8);
      Pointer address = DeviceMemory.address(planes);
      byte[] written = new byte[24];
      for (int i = 0; i < written.length; i++) {
        written[i] = (byte) (i * 7);
      }
      address.write(0, written, 0, written.length);
      assertArrayEquals(written, planes.toByteArray());
      address.share(12).setByte(0, (byte) 99); // the second plane starts 3 × 4 bytes in
      assertEquals(99, planes.get(1).toByteArray()[0]);
    }
  }
}
