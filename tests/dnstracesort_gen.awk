# tests/dnstracesort_gen.awk: random dnstrace-like lines for t_dnstrace.sh
# (awk -v seed=S -v n=N): fields from small sets, so that facts repeat
# and collide, with too few or too many fields, empty ones, colons inside.
function pick(s,   n, a) { n = split(s, a, "|"); return a[int(rand() * n) + 1] }
BEGIN {
  srand(seed)
  for (i = 0; i < n; i++) {
    t = pick("1|15|2|28|255|0|glue|")
    name = pick("a.x|b.a.x|x|.|a.b|A.X|ns.x|a x|a\\.x|")
    ctl = pick(".|x|a.x|b|zz.y||test")
    srv = pick("1.1.1.1|1.1.1.10|127.53.0.1|start|2.2.2.2|")
    ev = pick("tx|NS|A|see|CNAME|answer|NXDOMAIN|NODATA|ALERT|other|")
    f6 = pick("a.x|x|" name " 300 A 1.2.3.4|a.x 300 16 q:r|lame server; refers to x|query failed; timed out||ns.x")
    f7 = pick("1.2.3.4|ns.y||a:b")
    k = int(rand() * 8)
    line = t
    if (k > 0) line = line ":" name
    if (k > 1) line = line ":" ctl
    if (k > 2) line = line ":" srv
    if (k > 3) line = line ":" ev
    if (k > 4) line = line ":" f6
    if (k > 5) line = line ":" f7
    if (k > 6) line = line ":" pick("x|y:z|")
    print line
  }
}
