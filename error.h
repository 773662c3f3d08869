#ifndef ERROR_H
#define ERROR_H
/* The original's wording for errno values, as it appears in log lines and
   fatal messages: ENOENT is "file does not exist", EAGAIN is "temporary
   failure", ETIMEDOUT is "timed out", EPROTO is "protocol error", and so on.
   Unknown values give "unknown error". */
const char *error_str(int e);
#endif
