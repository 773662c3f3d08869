/* unit_response.c: the response builder: header, question, records,
   compression (100 names, 128 bytes, offsets < 16384), TC, 65535 limit. */
#include "tests/unit.h"
#include "response.h"
#include "uint.h"

static const unsigned char *R(void) { return (const unsigned char *)response_data(); }
static unsigned int u16(unsigned int pos) { return uint16_unpack_big(response_data() + pos); }

static void t_header_question(void)
{
  static const unsigned char expect[] = {
    0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0,
    3, 'W', 'w', 'w', 4, 't', 'E', 's', 't', 0, 0, 28, 0, 255 };
  CHECK(response_query("\3Www\4tEst", 28, 255));
  response_id(0x1234);
  CHECK_EQ_INT(response_len(), sizeof expect);
  CHECK_MEM(R(), expect, sizeof expect);
}

static void t_flags(void)
{
  CHECK(response_query("\1x", 1, 1));
  response_nxdomain();
  CHECK_EQ_INT(u16(2), 0x8583);
  CHECK(response_query("\1x", 1, 1));
  response_servfail();
  CHECK_EQ_INT(u16(2), 0x8182);
}

static void t_record(void)
{
  /* owner = question name, different case: compressed to the question */
  static const unsigned char expect[] = {
    0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
    9, 'L', 'o', 'c', 'a', 'l', 'H', 'o', 's', 't', 0, 0, 1, 0, 1,
    0xc0, 0x0c, 0, 1, 0, 1, 0, 0x0a, 0, 0, 0, 4, 127, 0, 0, 1 };
  CHECK(response_query("\11LocalHost", 1, 1));
  CHECK(response_rstart("\11localhost", 1, 655360));
  CHECK(response_addbytes("\177\0\0\1", 4));
  response_rfinish();
  CHECK_EQ_INT(response_len(), sizeof expect);
  CHECK_MEM(R(), expect, sizeof expect);
}

static void t_suffix(void)
{
  /* question www.example.com at 12; example.com at 16; com at 24 */
  CHECK(response_query("\3www\7example\3com", 15, 1));
  unsigned int start = response_len();
  CHECK(response_rstart("\3www\7example\3com", 15, 60));
  CHECK(response_addbytes("\0\12", 2));
  CHECK(response_addname("\4mail\7EXAMPLE\3com"));
  response_rfinish();
  CHECK(response_rstart("\3org", 15, 60));
  CHECK(response_addbytes("\0\12", 2));
  CHECK(response_addname("\2mx\3ORG"));
  response_rfinish();
  static const unsigned char expect[] = {
    0xc0, 0x0c, 0, 15, 0, 1, 0, 0, 0, 60, 0, 9, 0, 10, 4, 'm', 'a', 'i', 'l', 0xc0, 0x10,
    3, 'o', 'r', 'g', 0, 0, 15, 0, 1, 0, 0, 0, 60, 0, 7, 0, 10, 2, 'm', 'x', 0xc0, 0x36 };
  CHECK_EQ_INT(response_len() - start, sizeof expect);
  CHECK_MEM(R() + start, expect, sizeof expect);
  CHECK_EQ_INT(u16(6), 2);
  CHECK_EQ_INT(u16(8), 0);
  CHECK_EQ_INT(u16(10), 0);
}

static void t_hundred_names(void)
{
  /* the question remembers 1 name; 99 more fill the table; the next name
     is written in full twice */
  char d[8] = "\3n00";
  CHECK(response_query("\1q", 1, 1));
  for (int i = 0; i < 99; i++) {
    d[2] = (char)('0' + i / 10);
    d[3] = (char)('0' + i % 10);
    CHECK(response_addname(d));
  }
  unsigned int before = response_len();
  CHECK(response_addname("\3new"));
  CHECK(response_addname("\3new"));
  CHECK_EQ_INT(response_len() - before, 10);
  /* earlier names still compress */
  before = response_len();
  CHECK(response_addname("\3n42"));
  CHECK_EQ_INT(response_len() - before, 2);
  CHECK(response_addname("\1q"));
  CHECK_EQ_INT(u16(response_len() - 2), 0xc00c);
}

static void t_long_names(void)
{
  /* a 129-byte name is not remembered, its 65-byte suffix is */
  char d[200];
  unsigned int p = 0;
  d[p++] = 63; for (int i = 0; i < 63; i++) d[p++] = 'a';
  d[p++] = 63; for (int i = 0; i < 63; i++) d[p++] = 'b';
  d[p++] = 0;   /* 129 bytes */
  CHECK(response_query("\1q", 1, 1));
  unsigned int before = response_len();
  CHECK(response_addname(d));
  CHECK_EQ_INT(response_len() - before, 129);
  before = response_len();
  CHECK(response_addname(d));
  CHECK_EQ_INT(response_len() - before, 66);   /* label a..a + pointer to b..b */
  CHECK_EQ_INT(u16(response_len() - 2), 0xc000 | (12 + 3 + 4 + 64));
}

static void t_pointer_limit(void)
{
  char filler[1000];
  memset(filler, 'z', sizeof filler);
  CHECK(response_query("\4keep\2me", 1, 1));
  while (response_len() < 16384) CHECK(response_addbytes(filler, 100));
  unsigned int before = response_len();
  CHECK(response_addname("\4late\2me"));      /* suffix "me" compresses to 17 */
  CHECK_EQ_INT(response_len() - before, 7);
  before = response_len();
  CHECK(response_addname("\4late\2me"));      /* not remembered past 16384 */
  CHECK_EQ_INT(response_len() - before, 7);
  CHECK_EQ_INT(u16(response_len() - 2), 0xc011);
  before = response_len();
  CHECK(response_addname("\4keep\2me"));
  CHECK_EQ_INT(response_len() - before, 2);
  CHECK_EQ_INT(u16(response_len() - 2), 0xc00c);
  /* every pointer written is below 16384 */
  const unsigned char *r = R();
  for (unsigned int i = 16384; i + 1 < response_len(); i++)
    if ((r[i] & 0xc0) == 0xc0 && r[i] != 'z') CHECK(((r[i] & 0x3f) << 8 | r[i + 1]) < 16384);
}

static void t_tc(void)
{
  CHECK(response_query("\3big\4test", 16, 1));
  unsigned int qend = response_len();
  char txt[200];
  memset(txt, 'x', sizeof txt);
  txt[0] = (char)199;
  for (int i = 0; i < 12; i++) {
    CHECK(response_rstart("\3big\4test", 16, 300));
    CHECK(response_addbytes(txt, 200));
    response_rfinish();
  }
  CHECK_EQ_INT(u16(6), 12);
  CHECK(response_len() > 512);
  response_id(0xbeef);
  response_tc();
  CHECK_EQ_INT(response_len(), qend);
  CHECK_EQ_INT(response_len(), 26);
  CHECK_EQ_INT(u16(0), 0xbeef);
  CHECK_EQ_INT(u16(2), 0x8380);
  CHECK_EQ_INT(u16(4), 1);
  CHECK_EQ_INT(u16(6), 0);
}

static void t_limit(void)
{
  char filler[1000];
  memset(filler, 'y', sizeof filler);
  CHECK(response_query("\1q", 1, 1));
  while (response_len() + 1000 <= 65535) CHECK(response_addbytes(filler, 1000));
  unsigned int len = response_len();
  CHECK(!response_addbytes(filler, 1000));
  CHECK_EQ_INT(response_len(), len);
  CHECK(response_addbytes(filler, 65535 - len));
  CHECK_EQ_INT(response_len(), 65535);
  CHECK(!response_addbytes(filler, 1));
  CHECK(!response_addname("\1a"));
  CHECK(!response_rstart("\1q", 1, 1));
  CHECK_EQ_INT(response_len(), 65535);
  /* a fresh query starts over */
  CHECK(response_query("\1q", 1, 1));
  CHECK_EQ_INT(response_len(), 19);
}

static void t_rdlength(void)
{
  CHECK(response_query("\1q", 1, 1));
  CHECK(response_rstart("\1q", 2, 7));
  unsigned int rd = response_len();
  CHECK(response_addname("\2ns\1q"));
  response_rfinish();
  CHECK_EQ_INT(u16(rd - 2), 5);   /* "\2ns" + pointer */
  CHECK_EQ_INT(u16(rd - 6), 0);
  CHECK_EQ_INT(u16(rd - 4), 7);
}

static void t_root(void)
{
  CHECK(response_query("", 2, 1));
  CHECK_EQ_INT(response_len(), 17);
  CHECK(response_rstart("", 2, 1));
  CHECK_EQ_INT(response_len(), 28);   /* root is one zero byte, never a pointer */
}

int main(void)
{
  RUN(t_header_question);
  RUN(t_flags);
  RUN(t_record);
  RUN(t_suffix);
  RUN(t_hundred_names);
  RUN(t_long_names);
  RUN(t_pointer_limit);
  RUN(t_tc);
  RUN(t_limit);
  RUN(t_rdlength);
  RUN(t_root);
  return unit_done();
}
