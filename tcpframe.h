#ifndef TCPFRAME_H
#define TCPFRAME_H
/* DNS over TCP framing for one connection (RFC 1035 4.2.2): a 2-byte
   big-endian length, then that many bytes; the reply goes out the same
   way.  The fd is non-blocking; each call does what is possible now. */
#define TCPFRAME_KEEP 1024  /* bytes of a query kept; the rest is read and skipped */

struct tcpframe {
  int inbody;                /* 0: reading the length; 1: the body */
  unsigned int need;         /* length bytes read, then the body's length */
  unsigned int got;          /* body bytes read */
  unsigned char lenbuf[2];
  char in[TCPFRAME_KEEP];    /* the first min(need, TCPFRAME_KEEP) bytes */
  char *out;                 /* the framed reply, from the heap: most
                                connections never need one */
  unsigned int outlen, outpos;
};

/* Starts waiting for a new frame (frees a reply left over). */
void tcpframe_start(struct tcpframe *f);

/* Reads what the current frame still needs.  1: a whole query has been
   read, its length is f->need (f->in holds its first TCPFRAME_KEEP
   bytes).  0: some bytes were read and fd has no more for now.  -1 with
   errno: the first read failed (EAGAIN included: the caller only reads
   when poll says so or its idle deadline passed), EPIPE for end of file,
   EPROTO for a length of 0. */
int tcpframe_read(struct tcpframe *f, int fd);

/* Makes buf (len <= 65535 bytes) the reply to write.  0 on success, -1
   (ENOMEM) if it cannot be allocated. */
int tcpframe_reply(struct tcpframe *f, const char *buf, unsigned int len);

/* Writes what is left of the reply.  1: all written (the reply is freed),
   0: part written and fd takes no more for now, -1 with errno: the first
   write failed (EPIPE if it wrote nothing). */
int tcpframe_write(struct tcpframe *f, int fd);

/* Frees the reply, if any. */
void tcpframe_free(struct tcpframe *f);
#endif
