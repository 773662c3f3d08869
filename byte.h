#ifndef BYTE_H
#define BYTE_H
#include <stddef.h>
/* ASCII-only helpers (DNS is case-insensitive for A-Z only). */
int byte_lower(int c);                                         /* A-Z -> a-z */
int byte_case_equal(const void *a, const void *b, size_t n);  /* 1 if equal ignoring ASCII case */
size_t byte_chr(const void *s, size_t n, int c);               /* index of c, or n */
/* decimal scanning in the original's style: digits only, no sign,
   returns the number of characters used (0 if none); the value wraps
   like the original's unsigned long arithmetic */
size_t scan_ulong(const char *s, unsigned long *u);
size_t fmt_ulong(char *s, unsigned long u);  /* s may be NULL to count; no NUL */
#define FMT_ULONG 40
#endif
