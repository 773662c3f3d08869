#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H
/* A tiny unit-test harness.  Each suite is a C file tests/unit_NAME.c with
     #include "tests/unit.h"
     static void t_something(void) { CHECK(x == 1); CHECK_EQ_INT(a, b); }
     int main(void) { RUN(t_something); ...; return unit_done(); }
   RUN prints "PASS: name" or "FAIL: name" (after the failed checks, with
   file:line); unit_done prints "N passed, N failed" and returns 1 on any
   failure.  tests/run adds up those lines across all suites. */
#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed, unit_case_failed;

#define CHECK(cond) do { if (!(cond)) { unit_case_failed = 1; \
  printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_EQ_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
  if (a_ != b_) { unit_case_failed = 1; printf("  %s:%d: %s == %lld, expected %s == %lld\n", \
  __FILE__, __LINE__, #a, a_, #b, b_); } } while (0)
#define CHECK_MEM(a, b, n) do { if (memcmp((a), (b), (n))) { unit_case_failed = 1; \
  printf("  %s:%d: bytes differ: %s vs %s\n", __FILE__, __LINE__, #a, #b); } } while (0)
#define RUN(fn) do { unit_case_failed = 0; fn(); \
  if (unit_case_failed) { unit_failed++; printf("FAIL: %s\n", #fn); } \
  else { unit_passed++; printf("PASS: %s\n", #fn); } fflush(stdout); } while (0)

static inline int unit_done(void)
{
  printf("%d passed, %d failed\n", unit_passed, unit_failed);
  return unit_failed != 0;
}
#endif
