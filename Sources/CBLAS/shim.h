#ifndef CBLAS_SHIM_H
#define CBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
