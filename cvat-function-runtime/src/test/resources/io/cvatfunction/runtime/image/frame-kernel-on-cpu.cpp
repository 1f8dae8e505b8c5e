// frame-to-input.cu run on the CPU, one thread at a time, over the planes libjpeg decodes in raw-data mode (the
// planes nvJPEG decodes on the GPU), so that a test without a GPU holds the kernel's arithmetic against OpenCV.
//
//   frame-kernel-on-cpu FRAME.jpg DST_WIDTH DST_HEIGHT RESIZED_WIDTH RESIZED_HEIGHT LEFT TOP OUT.f32
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <jpeglib.h>

struct Index {
  int x, y;
};
static Index blockIdx, threadIdx;
static const Index blockDim = {1, 1};
#define __global__
#define __device__
#define __forceinline__ inline
static int __float2int_rn(float f) { return (int) std::nearbyint(f); }  // to nearest, ties to even, as on the GPU

#include "frame-to-input.cu"

int main(int argc, char** argv) {
  if (argc != 9) {
    std::fprintf(stderr, "usage: %s FRAME.jpg DST_W DST_H RESIZED_W RESIZED_H LEFT TOP OUT.f32\n", argv[0]);
    return 2;
  }
  FILE* in = std::fopen(argv[1], "rb");
  if (in == nullptr) {
    std::perror(argv[1]);
    return 1;
  }
  jpeg_decompress_struct info;
  jpeg_error_mgr errors;
  info.err = jpeg_std_error(&errors);
  jpeg_create_decompress(&info);
  jpeg_stdio_src(&info, in);
  jpeg_read_header(&info, TRUE);
  info.raw_data_out = TRUE;
  info.dct_method = JDCT_ISLOW;
  jpeg_start_decompress(&info);
  int components = info.num_components;
  if (components != 1 && components != 3) {
    std::fprintf(stderr, "%d components: only grey and YCbCr frames take the GPU path\n", components);
    return 1;
  }
  // One iMCU row of each component at a time, copied into tight planes of the component's size.
  std::vector<std::vector<unsigned char>> planes(components), buffers(components);
  std::vector<std::vector<JSAMPROW>> rows(components);
  std::vector<JSAMPARRAY> arrays(components);
  for (int c = 0; c < components; c++) {
    jpeg_component_info* component = &info.comp_info[c];
    planes[c].resize((size_t) component->downsampled_width * component->downsampled_height);
    int stride = component->width_in_blocks * DCTSIZE;
    buffers[c].resize((size_t) stride * component->v_samp_factor * DCTSIZE);
    for (int r = 0; r < component->v_samp_factor * DCTSIZE; r++) {
      rows[c].push_back(&buffers[c][(size_t) r * stride]);
    }
    arrays[c] = rows[c].data();
  }
  int lines = info.max_v_samp_factor * DCTSIZE;
  for (int group = 0; info.output_scanline < info.output_height; group++) {
    jpeg_read_raw_data(&info, arrays.data(), lines);
    for (int c = 0; c < components; c++) {
      jpeg_component_info* component = &info.comp_info[c];
      int height = component->v_samp_factor * DCTSIZE;
      for (int r = 0; r < height && group * height + r < (int) component->downsampled_height; r++) {
        for (int x = 0; x < (int) component->downsampled_width; x++) {
          planes[c][(size_t) (group * height + r) * component->downsampled_width + x] = rows[c][r][x];
        }
      }
    }
  }
  int width = info.output_width, height = info.output_height;
  int chromaWidth = 0, chromaHeight = 0, hShift = 0, vShift = 0;
  if (components == 3) {
    chromaWidth = info.comp_info[1].downsampled_width;
    chromaHeight = info.comp_info[1].downsampled_height;
    hShift = info.max_h_samp_factor / info.comp_info[1].h_samp_factor == 2 ? 1 : 0;
    vShift = info.max_v_samp_factor / info.comp_info[1].v_samp_factor == 2 ? 1 : 0;
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  std::fclose(in);

  int dstWidth = std::atoi(argv[2]), dstHeight = std::atoi(argv[3]);
  std::vector<float> input((size_t) 3 * dstWidth * dstHeight);
  for (int y = 0; y < dstHeight; y++) {
    for (int x = 0; x < dstWidth; x++) {
      blockIdx = {x, y};
      threadIdx = {0, 0};
      frameToInput(planes[0].data(), components == 3 ? planes[1].data() : nullptr,
          components == 3 ? planes[2].data() : nullptr, width, height, chromaWidth, chromaHeight, hShift, vShift,
          input.data(), dstWidth, dstHeight, std::atoi(argv[4]), std::atoi(argv[5]), std::atoi(argv[6]),
          std::atoi(argv[7]));
    }
  }
  FILE* out = std::fopen(argv[8], "wb");
  if (out == nullptr || std::fwrite(input.data(), sizeof(float), input.size(), out) != input.size()) {
    std::perror(argv[8]);
    return 1;
  }
  std::fclose(out);
  return 0;
}
