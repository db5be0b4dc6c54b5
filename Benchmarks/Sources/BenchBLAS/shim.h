#ifndef BENCH_BLAS_SHIM_H
#define BENCH_BLAS_SHIM_H
#include <cblas.h>
#endif
