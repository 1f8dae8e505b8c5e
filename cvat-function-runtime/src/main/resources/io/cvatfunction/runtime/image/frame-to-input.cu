// The model input from nvJPEG's planes, in one pass: what libjpeg-turbo's decoder, OpenCV's resize and Ultralytics'
// letterbox compute on the CPU, integer for integer. Compiled by NVRTC with --fmad=false, so the few float steps
// round as they do on the CPU.
//
// One thread per input pixel writes its R, G and B values, /255, into the [1, 3, dstHeight, dstWidth] tensor. Plane
// offsets are computed in 64 bits: a frame the pixel limit allows may hold more than 2^31 samples.

typedef unsigned char u8;

struct Planes {
  const u8* y;       // luma, width x height, pitch width
  const u8* cb;      // chroma, chromaWidth x chromaHeight, pitch chromaWidth; null for grey frames
  const u8* cr;
  int width, height, chromaWidth, chromaHeight;
  int hShift, vShift;  // 1 where chroma is subsampled 2:1 along that axis
};

__device__ __forceinline__ int clampIndex(int i, int n) {
  return i < 0 ? 0 : (i >= n ? n - 1 : i);
}

// One column of 4:2:0 chroma weighed between rows as libjpeg does: 3 x the nearer row + the farther one.
__device__ __forceinline__ int columnSum(const u8* plane, const Planes& p, int row, int farRow, int column) {
  return 3 * plane[(long) row * p.chromaWidth + column] + plane[(long) farRow * p.chromaWidth + column];
}

// A chroma sample upsampled to luma position (x, y): jdsample.c's h2v1_fancy_upsample / h2v2_fancy_upsample.
__device__ int chroma(const u8* plane, const Planes& p, int x, int y) {
  int column = x >> p.hShift;
  int row = y >> p.vShift;
  if (p.hShift == 0 || p.chromaWidth <= 2) {  // libjpeg replicates chroma at most two samples wide
    return plane[(long) row * p.chromaWidth + column];
  }
  int odd = x & 1;
  int neighbour = clampIndex(odd ? column + 1 : column - 1, p.chromaWidth);
  if (p.vShift == 0) {  // 4:2:2
    int near = plane[(long) row * p.chromaWidth + column];
    return (3 * near + plane[(long) row * p.chromaWidth + neighbour] + 1 + odd) >> 2;
  }
  int farRow = clampIndex((y & 1) ? row + 1 : row - 1, p.chromaHeight);  // 4:2:0: the nearer row weighs 3
  int here = columnSum(plane, p, row, farRow, column);
  int there = columnSum(plane, p, row, farRow, neighbour);
  return (3 * here + there + 8 - odd) >> 4;
}

// The input is /255, divided (--prec-div, the default) as torch divides the CPU path's input.
__device__ __forceinline__ float normalise(int v) {
  return v / 255.f;
}

__device__ __forceinline__ int clampSample(int v) {
  return v < 0 ? 0 : (v > 255 ? 255 : v);
}

// jdcolor.c's ycc_rgb_convert: FIX(x) = x * 65536 rounded, right shifts of signed values are floors.
__device__ void rgb(const Planes& p, int x, int y, int out[3]) {
  int luma = p.y[(long) y * p.width + x];
  if (p.cb == 0) {
    out[0] = out[1] = out[2] = luma;
    return;
  }
  int cb = chroma(p.cb, p, x, y) - 128;
  int cr = chroma(p.cr, p, x, y) - 128;
  out[0] = clampSample(luma + ((91881 * cr + 32768) >> 16));
  out[1] = clampSample(luma + ((-22554 * cb - 46802 * cr + 32768) >> 16));
  out[2] = clampSample(luma + ((116130 * cb + 32768) >> 16));
}

// OpenCV's fixed-point INTER_LINEAR taps (11-bit weights) for one output coordinate. Columns outside the source
// take the edge sample at full weight; rows keep their fractional weights on the edge row, read twice (so they
// round differently, as OpenCV's do).
__device__ void linearTap(int d, double scale, int size, bool column, int* s0, int* s1, int* w0, int* w1) {
  float f = (float) ((d + 0.5) * scale - 0.5);
  int s = (int) floorf(f);
  f -= s;
  if (column && s < 0) {
    f = 0.f;
    s = 0;
  }
  if (column && s >= size - 1) {
    f = 0.f;
    s = size - 1;
  }
  *s0 = clampIndex(s, size);
  *s1 = clampIndex(s + 1, size);
  *w0 = __float2int_rn((1.f - f) * 2048.f);
  *w1 = __float2int_rn(f * 2048.f);
}

extern "C" __global__ void frameToInput(const u8* __restrict__ luma, const u8* __restrict__ cb,
    const u8* __restrict__ cr, int width, int height,
    int chromaWidth, int chromaHeight, int hShift, int vShift, float* __restrict__ input, int dstWidth, int dstHeight,
    int resizedWidth, int resizedHeight, int left, int top) {
  Planes p = {luma, cb, cr, width, height, chromaWidth, chromaHeight, hShift, vShift};
  int dx = blockIdx.x * blockDim.x + threadIdx.x;
  int dy = blockIdx.y * blockDim.y + threadIdx.y;
  if (dx >= dstWidth || dy >= dstHeight) {
    return;
  }
  long plane = (long) dstWidth * dstHeight;
  float* out = input + (long) dy * dstWidth + dx;
  int x = dx - left;
  int y = dy - top;
  if (x < 0 || y < 0 || x >= resizedWidth || y >= resizedHeight) {  // letterbox padding
    out[0] = out[plane] = out[2 * plane] = normalise(114);
    return;
  }
  int value[3];
  if (resizedWidth == p.width && resizedHeight == p.height) {
    rgb(p, x, y, value);
  } else {
    int x0, x1, a0, a1, y0, y1, b0, b1;
    linearTap(x, 1.0 / ((double) resizedWidth / p.width), p.width, true, &x0, &x1, &a0, &a1);
    linearTap(y, 1.0 / ((double) resizedHeight / p.height), p.height, false, &y0, &y1, &b0, &b1);
    int s00[3], s01[3], s10[3], s11[3];
    rgb(p, x0, y0, s00);
    rgb(p, x1, y0, s01);
    rgb(p, x0, y1, s10);
    rgb(p, x1, y1, s11);
    for (int c = 0; c < 3; c++) {
      // Rows in 11-bit fixed point, then OpenCV's SIMD vertical step: >> 4, 16-bit high multiply, round >> 2.
      int upper = s00[c] * a0 + s01[c] * a1;
      int lower = s10[c] * a0 + s11[c] * a1;
      value[c] = clampSample(((((upper >> 4) * b0) >> 16) + (((lower >> 4) * b1) >> 16) + 2) >> 2);
    }
  }
  out[0] = normalise(value[0]);
  out[plane] = normalise(value[1]);
  out[2 * plane] = normalise(value[2]);
}
