#ifndef DNS_H
#define DNS_H
/* DNS constants shared by every module.  A "wire name" (char *d) is a
   domain name in uncompressed wire format: length-prefixed labels ending
   with a zero byte, at most DNS_NAME_MAX bytes in all, labels at most 63. */
#define DNS_NAME_MAX 255
#define DNS_LABEL_MAX 63
#define DNS_UDP_MAX 512        /* classic UDP payload */
#define DNS_TCP_MAX 65535
/* A server list: DNS_SERVERS slots of 16 bytes (ip6.h: IPv4 held
   IPv4-mapped; an all-zero slot is unused), room for 16 of each family. */
#define DNS_SERVERS 32
#define DNS_SERVERS_LEN (16 * DNS_SERVERS)

enum {
  DNS_T_A = 1, DNS_T_NS = 2, DNS_T_CNAME = 5, DNS_T_SOA = 6, DNS_T_PTR = 12,
  DNS_T_HINFO = 13, DNS_T_MX = 15, DNS_T_TXT = 16, DNS_T_RP = 17,
  DNS_T_SIG = 24, DNS_T_KEY = 25, DNS_T_AAAA = 28, DNS_T_DNAME = 39, DNS_T_OPT = 41,
  DNS_T_IXFR = 251, DNS_T_AXFR = 252, DNS_T_ANY = 255
};
enum { DNS_C_IN = 1, DNS_C_ANY = 255 };
enum {
  DNS_R_NOERROR = 0, DNS_R_FORMERR = 1, DNS_R_SERVFAIL = 2,
  DNS_R_NXDOMAIN = 3, DNS_R_NOTIMP = 4, DNS_R_REFUSED = 5
};
/* header flag bits, as a 16-bit host-order value of bytes 2..3 */
#define DNS_F_QR 0x8000
#define DNS_F_OPCODE 0x7800
#define DNS_F_AA 0x0400
#define DNS_F_TC 0x0200
#define DNS_F_RD 0x0100
#define DNS_F_RA 0x0080
#define DNS_F_Z 0x0070
#define DNS_F_RCODE 0x000f
#endif
