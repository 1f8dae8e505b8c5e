package io.cvatfunction.runtime.image;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.List;
import java.util.Map;

/**
 * The part of NVIDIA's nvJPEG C API (CUDA 12, {@code libnvjpeg.so.12}) that decodes one JPEG into device memory, in
 * decoupled phases (parse, host, transfer, device). The library links the CUDA runtime statically and needs only the
 * driver; it uses the calling thread's current device, which is device 0 for threads that never chose one.
 */
interface NvJpegLibrary extends Library {

  int SUCCESS = 0;
  /** {@code NVJPEG_OUTPUT_YUV}: the Y, Cb and Cr planes as coded, chroma at its subsampled size. */
  int OUTPUT_YUV = 1;
  /** {@code NVJPEG_OUTPUT_Y}: the luma plane only. */
  int OUTPUT_Y = 2;
  // nvjpegChromaSubsampling_t
  int CSS_444 = 0;
  int CSS_422 = 1;
  int CSS_420 = 2;
  int CSS_GRAY = 6;
  /** {@code MAJOR_VERSION} for {@link #nvjpegGetProperty}. */
  int MAJOR_VERSION = 0;
  int MINOR_VERSION = 1;
  int MAX_COMPONENTS = 4;
  // nvjpegBackend_t
  int BACKEND_HYBRID = 1;
  int BACKEND_GPU_HYBRID = 2;
  int BACKEND_HARDWARE = 3;

  int nvjpegGetProperty(int type, IntByReference value);

  int nvjpegCreateSimple(PointerByReference handle);

  int nvjpegCreateEx(int backend, Pointer deviceAllocator, Pointer pinnedAllocator, int flags,
      PointerByReference handle);

  int nvjpegDestroy(Pointer handle);

  int nvjpegGetImageInfo(Pointer handle, Pointer data, long length, IntByReference components,
      IntByReference subsampling, int[] widths, int[] heights);

  int nvjpegDecoderCreate(Pointer handle, int backend, PointerByReference decoder);

  int nvjpegDecoderDestroy(Pointer decoder);

  int nvjpegDecoderStateCreate(Pointer handle, Pointer decoder, PointerByReference state);

  int nvjpegJpegStateDestroy(Pointer state);

  int nvjpegBufferPinnedCreate(Pointer handle, Pointer allocator, PointerByReference buffer);

  int nvjpegBufferPinnedDestroy(Pointer buffer);

  int nvjpegBufferDeviceCreate(Pointer handle, Pointer allocator, PointerByReference buffer);

  int nvjpegBufferDeviceDestroy(Pointer buffer);

  int nvjpegStateAttachPinnedBuffer(Pointer state, Pointer buffer);

  int nvjpegStateAttachDeviceBuffer(Pointer state, Pointer buffer);

  int nvjpegJpegStreamCreate(Pointer handle, PointerByReference stream);

  int nvjpegJpegStreamDestroy(Pointer stream);

  int nvjpegJpegStreamParse(Pointer handle, Pointer data, long length, int saveMetadata, int saveStream,
      Pointer stream);

  int nvjpegDecodeParamsCreate(Pointer handle, PointerByReference params);

  int nvjpegDecodeParamsDestroy(Pointer params);

  int nvjpegDecodeParamsSetOutputFormat(Pointer params, int outputFormat);

  /** {@code supported} is set to 0 when {@code decoder} can decode the parsed stream. */
  int nvjpegDecoderJpegSupported(Pointer decoder, Pointer stream, Pointer params, IntByReference supported);

  int nvjpegDecodeJpegHost(Pointer handle, Pointer decoder, Pointer state, Pointer params, Pointer stream);

  int nvjpegDecodeJpegTransferToDevice(Pointer handle, Pointer decoder, Pointer state, Pointer stream,
      Pointer cudaStream);

  int nvjpegDecodeJpegDevice(Pointer handle, Pointer decoder, Pointer state, Image destination, Pointer cudaStream);

  /** {@code nvjpegImage_t}: one device pointer and pitch per output channel. */
  @Structure.FieldOrder({"channel", "pitch"})
  final class Image extends Structure {
    public Pointer[] channel = new Pointer[MAX_COMPONENTS];
    public long[] pitch = new long[MAX_COMPONENTS];
  }

  /** Loads the library from an explicit file, or by name from the JNA search path and the system's. */
  static NvJpegLibrary load(String location) {
    return Native.load(location, NvJpegLibrary.class, Map.of(Library.OPTION_CLASSLOADER,
        NvJpegLibrary.class.getClassLoader()));
  }

  /** nvJPEG's names of its status codes, by value. */
  List<String> STATUS_NAMES = List.of("SUCCESS", "NOT_INITIALIZED", "INVALID_PARAMETER", "BAD_JPEG",
      "JPEG_NOT_SUPPORTED", "ALLOCATOR_FAILURE", "EXECUTION_FAILED", "ARCH_MISMATCH", "INTERNAL_ERROR",
      "IMPLEMENTATION_NOT_SUPPORTED", "INCOMPLETE_BITSTREAM");

  /** A status code as nvJPEG names it. */
  static String statusName(int status) {
    return status >= 0 && status < STATUS_NAMES.size() ? "NVJPEG_STATUS_" + STATUS_NAMES.get(status) : "status " + status;
  }
}
