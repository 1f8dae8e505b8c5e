package io.cvatfunction.runtime.image;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * The address of a DJL PyTorch tensor's memory — a device pointer for a GPU tensor — so a native library can
 * write into the tensor in place. DJL's public API copies GPU tensors to the host before it exposes their bytes,
 * but its JNI call {@code torchDirectByteBuffer} wraps {@code tensor.data_ptr()} in a direct buffer for any
 * contiguous tensor, on any device, without touching the memory; only its address is used here, never its bytes.
 */
final class DeviceMemory {

  private static final MethodHandle DIRECT_BUFFER = directBufferHandle();

  private DeviceMemory() {}

  /**
   * The address of the first element of {@code tensor}, which must be a contiguous tensor made by the PyTorch
   * engine (as {@code NDManager.create(shape, type)} makes them) and must stay open while the address is used.
   */
  static Pointer address(NDArray tensor) {
    if (!(tensor instanceof PtNDArray pt)) {
      throw new IllegalArgumentException("not a PyTorch tensor: " + tensor.getClass().getName());
    }
    try {
      ByteBuffer view = (ByteBuffer) DIRECT_BUFFER.invoke(pt.getHandle());
      return Native.getDirectBufferPointer(view);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot read the tensor's address", e);
    }
  }

  private static MethodHandle directBufferHandle() {
    try {
      Class<?> library = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
      Field instance = library.getDeclaredField("LIB");
      instance.setAccessible(true);
      Method method = library.getDeclaredMethod("torchDirectByteBuffer", long.class);
      method.setAccessible(true);
      return MethodHandles.lookup().unreflect(method).bindTo(instance.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("this DJL PyTorch engine has no torchDirectByteBuffer: " + e, e);
    }
  }
}
