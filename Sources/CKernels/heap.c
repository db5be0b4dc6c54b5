// Heap housekeeping the Swift side cannot reach: glibc's malloc.h is not in Swift's Glibc module.
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include "CKernels.h"

int ck_release_free_heap(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}
