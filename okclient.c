/* okclient.c: the ip/ access check (see okclient.h).  Guarantees: the
   answer is the one stat() per prefix would give as of the last re-read,
   which is at most about a second old; no allocation and no system call
   per check while the table stands; the table is fixed-size
   (OKCLIENT_MAX entries in a hash of twice as many slots). */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include "okclient.h"
#include "ip4.h"
#include "ip6.h"

#define SLOTS (2 * OKCLIENT_MAX)   /* power of two */
#define RECHECK_MS 1000
#define SETTLE_SEC 2   /* a directory changed this recently may change again unseen */

/* A slot: an entry's 1..4 numbers packed as a key (count << 32 |
   a.b.c.d, missing numbers 0; never 0; 0 is an empty slot), plus OK if
   lstat() succeeded; without it lstat() failed with an error other than
   "does not exist" (a refusal). */
#define OK ((uint64_t)1 << 40)
static uint64_t table[SLOTS];
static uint32_t memo_ip;     /* the last client looked up, and the answer */
static int memo_ok, memo_valid;
static int usetable;         /* 0: stat() per check */
static int checked;          /* okclient_refresh ran at least once */
static int64_t lastcheck;
static int havedir, unsettled;
static struct stat dirst;

/* IPv6 entries: the number of groups named (8 for the compressed full
   form, 1..7 for leading groups), the address with the rest zeroed, and
   the answer; k 0 is an empty slot.  Smaller than the IPv4 table (its
   static size counts against the daemon's DATALIMIT): more than
   SLOTS6 / 2 IPv6 names and okclient6 stat()s per check. */
#define SLOTS6 1024   /* power of two */
struct entry6 {
  unsigned char k, ok;
  unsigned char ip[16];
};
static struct entry6 table6[SLOTS6];
static unsigned char memo6[16];
static int memo6_ok, memo6_valid;

static uint64_t mkkey(unsigned int n, const unsigned char ip[4])
{
  uint32_t v = 0;
  for (unsigned int i = 0; i < 4; i++) v = v << 8 | (i < n ? ip[i] : 0);
  return (uint64_t)n << 32 | v;
}

static unsigned int hash(uint64_t key)
{
  return (unsigned int)((key * 0x9e3779b97f4a7c15ull) >> 40) & (SLOTS - 1);
}

/* the slot holding key, or an empty one */
static uint64_t find(uint64_t key)
{
  unsigned int h = hash(key);
  while (table[h] && (table[h] & ~OK) != key) h = (h + 1) & (SLOTS - 1);
  return table[h];
}

static void insert(uint64_t key, int ok)
{
  unsigned int h = hash(key);
  while (table[h]) h = (h + 1) & (SLOTS - 1);
  table[h] = key | (ok ? OK : 0);
}

static unsigned int hash6(unsigned int k, const unsigned char ip[16])
{
  uint64_t h = k;
  for (unsigned int i = 0; i < 16; i++) h = (h ^ ip[i]) * 0x100000001b3ull;
  return (unsigned int)((h * 0x9e3779b97f4a7c15ull) >> 40) & (SLOTS6 - 1);
}

static const struct entry6 *find6(unsigned int k, const unsigned char ip[16])
{
  unsigned int h = hash6(k, ip);
  while (table6[h].k && (table6[h].k != k || memcmp(table6[h].ip, ip, 16)))
    h = (h + 1) & (SLOTS6 - 1);
  return &table6[h];
}

static void insert6(unsigned int k, const unsigned char ip[16], int ok)
{
  unsigned int h = hash6(k, ip);
  while (table6[h].k) h = (h + 1) & (SLOTS6 - 1);
  table6[h].k = (unsigned char)k;
  table6[h].ok = (unsigned char)ok;
  memcpy(table6[h].ip, ip, 16);
}

/* The first k groups of ip, the rest zero. */
static void prefix6(unsigned char out[16], const unsigned char ip[16], unsigned int k)
{
  memset(out, 0, 16);
  memcpy(out, ip, 2 * k);
}

/* An IPv6 name the check looks at: exactly as ip6_fmt writes an address
   (k = 8) or as ip6_fmt_groups writes its first k = 1..7 groups.  Returns
   k, 0 for any other name. */
static unsigned int parse6(const char *s, size_t len, unsigned char ip[16])
{
  char again[IP6_FMT];
  unsigned int k = 0;
  size_t i = 0;
  if (memchr(s, ':', len) && ip6_scan(s, ip) == len && ip6_fmt(again, ip) == len
      && !memcmp(again, s, len))
    return 8;
  memset(ip, 0, 16);
  while (k < 7) {   /* 1..7 groups, no "::", no leading zeros */
    unsigned int v = 0, digits = 0;
    while (i < len && ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
      if (digits && !v) return 0;
      v = v * 16 + (unsigned int)(s[i] <= '9' ? s[i] - '0' : s[i] - 'a' + 10);
      if (++digits > 4) return 0;
      ++i;
    }
    if (!digits) return 0;
    ip[2 * k] = (unsigned char)(v >> 8);
    ip[2 * k + 1] = (unsigned char)v;
    ++k;
    if (i == len) return k;
    if (s[i++] != ':') return 0;
  }
  return 0;
}

/* The name as ip4_fmt writes a prefix of 1..4 numbers (decimal, no
   leading zeros, at most 255): the only names the check ever looks at.
   Returns the count of numbers, 0 for any other name. */
static unsigned int parse(const char *s, unsigned char ip[4])
{
  unsigned int n = 0;
  for (;;) {
    unsigned int v = 0, digits = 0;
    while (*s >= '0' && *s <= '9') {
      if (digits && !v) return 0;   /* leading zero */
      v = v * 10 + (unsigned int)(*s++ - '0');
      if (++digits > 3 || v > 255) return 0;
    }
    if (!digits || n == 4) return 0;
    ip[n++] = (unsigned char)v;
    if (!*s) return n;
    if (*s++ != '.') return 0;
  }
}

/* Reads ip/ into the table: 1 done; 0 the table cannot stand for stat()
   (too many entries, a symbolic link); -1 ip/ cannot be listed now. */
static int reload(void)
{
  char fn[3 + IP6_FMT];
  unsigned int count = 0, count6 = 0;
  struct dirent *e;
  DIR *d;
  int ok = 1;

  memset(table, 0, sizeof table);
  memset(table6, 0, sizeof table6);
  memo_valid = memo6_valid = 0;
  d = opendir("ip");
  if (!d) return -1;
  fn[0] = 'i'; fn[1] = 'p'; fn[2] = '/';
  while ((e = readdir(d))) {
    unsigned char ip[4], ip6[16];
    struct stat st;
    size_t len = strlen(e->d_name);
    unsigned int n, k;
    int r;
    if (len >= IP6_FMT) continue;
    n = len < IP4_FMT ? parse(e->d_name, ip) : 0;
    k = parse6(e->d_name, len, ip6);   /* "127" is both */
    if (!n && !k) continue;
    if (count == OKCLIENT_MAX || (k && count6 == SLOTS6 / 2)) { ok = 0; break; }
    memcpy(fn + 3, e->d_name, len + 1);
    if (lstat(fn, &st) == 0) {
      if (S_ISLNK(st.st_mode)) { ok = 0; break; }
      r = 1;
    } else if (errno != ENOENT) {
      r = 0;
    } else {
      continue;   /* removed while reading */
    }
    if (n) insert(mkkey(n, ip), r);
    if (k) { insert6(k, ip6, r); count6++; }
    count++;
  }
  closedir(d);
  return ok;
}

static int samedir(const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino
      && a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec
      && a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

void okclient_refresh(int64_t now)
{
  struct stat st;
  struct timespec wall;
  int r;

  if (checked && now >= lastcheck && now - lastcheck < RECHECK_MS) return;
  checked = 1;
  lastcheck = now;
  r = stat("ip", &st);
  if (r == -1 || !S_ISDIR(st.st_mode)) {
    /* no ip/ or not a directory: every stat() below it fails (ENOENT or
       ENOTDIR), and those refuse like any other error: an empty table
       says the same.  Any other error: stat() per check. */
    int none = r == 0 || errno == ENOENT || errno == ENOTDIR;
    memset(table, 0, sizeof table);
    memset(table6, 0, sizeof table6);
    memo_valid = memo6_valid = 0;
    usetable = none;
    havedir = 0;
    return;
  }
  if (havedir && !unsettled && samedir(&st, &dirst)) return;
  r = reload();
  usetable = r == 1;
  dirst = st;
  havedir = 1;
  /* timestamps are coarse: an edit right after this read could leave
     them as they are; read again at the next check until they settle */
  clock_gettime(CLOCK_REALTIME, &wall);
  unsettled = r == -1
      || wall.tv_sec < st.st_mtim.tv_sec + SETTLE_SEC
      || wall.tv_sec < st.st_ctim.tv_sec + SETTLE_SEC;
}

static int okstat(const unsigned char ip[4])
{
  char fn[3 + IP4_FMT];
  struct stat st;
  size_t n;
  fn[0] = 'i'; fn[1] = 'p'; fn[2] = '/';
  n = 3 + ip4_fmt(fn + 3, ip);
  fn[n] = 0;
  for (;;) {
    if (stat(fn, &st) == 0) return 1;
    if (errno != ENOENT) return 0;   /* a temporary error refuses */
    while (n > 3 && fn[n - 1] != '.') n--;
    if (n <= 3) return 0;
    fn[--n] = 0;   /* drop ".d", then ".c", then ".b" */
  }
}

int okclient(const unsigned char ip[4])
{
  uint32_t v;
  int ok = 0;
  if (!usetable) return okstat(ip);
  v = (uint32_t)ip[0] << 24 | (uint32_t)ip[1] << 16 | (uint32_t)ip[2] << 8 | ip[3];
  if (memo_valid && v == memo_ip) return memo_ok;
  for (unsigned int n = 4; n >= 1; n--) {
    uint64_t s = find(mkkey(n, ip));
    if (s) { ok = (s & OK) != 0; break; }
  }
  memo_ip = v;
  memo_ok = ok;
  memo_valid = 1;
  return ok;
}

/* The names of SPEC 4.1, the longest first, as stat() sees them. */
static int okstat6(const unsigned char ip[16])
{
  char fn[3 + IP6_FMT];
  struct stat st;
  unsigned int k;
  fn[0] = 'i'; fn[1] = 'p'; fn[2] = '/';
  for (k = 8; k >= 1; k--) {
    size_t n = 3 + (k == 8 ? ip6_fmt(fn + 3, ip) : ip6_fmt_groups(fn + 3, ip, k));
    fn[n] = 0;
    if (stat(fn, &st) == 0) return 1;
    if (errno != ENOENT) return 0;   /* a temporary error refuses */
  }
  return 0;
}

int okclient6(const unsigned char ip[16])
{
  int ok = 0;
  if (ip6_isv4mapped(ip)) return okclient(ip + 12);
  if (!usetable) return okstat6(ip);
  if (memo6_valid && !memcmp(memo6, ip, 16)) return memo6_ok;
  for (unsigned int k = 8; k >= 1; k--) {
    unsigned char p[16];
    const struct entry6 *e;
    prefix6(p, ip, k);
    e = find6(k, k == 8 ? ip : p);
    if (e->k) { ok = e->ok; break; }
  }
  memcpy(memo6, ip, 16);
  memo6_ok = ok;
  memo6_valid = 1;
  return ok;
}
