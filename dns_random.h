#ifndef DNS_RANDOM_H
#define DNS_RANDOM_H
#include <stddef.h>
#include <stdint.h>
/* Unpredictable numbers for query IDs, source ports and server order.
   A ChaCha20 keystream keyed from getrandom() mixed with the caller's seed
   (dnscache's 128 bytes from stdin), the time and the pid.  Without
   dns_random_init the first call initialises from getrandom() alone. */
void dns_random_init(const char seed[128]);
unsigned int dns_random(unsigned int n);        /* uniform in [0,n); 0 when n == 0 */
void dns_random_bytes(void *out, size_t n);
/* Shuffles n 4-byte IPv4 addresses in place (Fisher-Yates). */
void dns_random_shuffle_ip4(char *ips, unsigned int n);
/* The same for n 16-byte addresses (ip6.h). */
void dns_random_shuffle_ip6(char *ips, unsigned int n);
/* The ChaCha20 block function of RFC 8439 section 2.3 (exposed for the
   RFC's test vector): key, counter and nonce as 32-bit words. */
void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
                    unsigned char out[64]);
#endif
