package io.cvatfunction.runtime.image;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Map;

/**
 * The part of NVRTC, CUDA's runtime compiler, that turns one CUDA C source into PTX. libtorch's CUDA build ships
 * it ({@code libnvrtc-<hash>.so.12} beside {@code libtorch_cuda.so}) for its own fusers, so a kernel compiled here
 * needs no file beyond the natives the model already uses.
 */
interface Nvrtc extends Library {

  int SUCCESS = 0;

  int nvrtcVersion(IntByReference major, IntByReference minor);

  int nvrtcGetNumSupportedArchs(IntByReference count);

  int nvrtcGetSupportedArchs(int[] archs);

  int nvrtcCreateProgram(PointerByReference program, String source, String name, int headers, Pointer includes,
      Pointer includeNames);

  int nvrtcCompileProgram(Pointer program, int options, String[] optionValues);

  int nvrtcGetProgramLogSize(Pointer program, LongByReference size);

  int nvrtcGetProgramLog(Pointer program, byte[] log);

  int nvrtcGetPTXSize(Pointer program, LongByReference size);

  int nvrtcGetPTX(Pointer program, byte[] ptx);

  int nvrtcDestroyProgram(PointerByReference program);

  String nvrtcGetErrorString(int result);

  /** Loads the library from a file. */
  static Nvrtc load(String file) {
    return Native.load(file, Nvrtc.class, Map.of(Library.OPTION_CLASSLOADER, Nvrtc.class.getClassLoader()));
  }
}
