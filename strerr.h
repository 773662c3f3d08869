#ifndef STRERR_H
#define STRERR_H
/* Messages on fd 2 in the original's form, unbuffered, one write each:
     prog: fatal: <a><b><c>[: <error_str(errno)>]\n
     prog: usage: <text>\n
   a, b and c are concatenated with nothing between them; any may be NULL.
   sys != 0 appends ": " and the text for the current errno.
   Exit codes: 111 for temporary/system failures, 100 for usage and other
   permanent errors. */
#define STRERR_TEMP 111
#define STRERR_PERM 100

_Noreturn void strerr_die(int code, const char *prog, const char *a,
                          const char *b, const char *c, int sys);
_Noreturn void strerr_usage(const char *prog, const char *text); /* exit 100 */
#endif
