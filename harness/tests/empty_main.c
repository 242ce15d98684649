/* empty_main: allocates nothing and leaks nothing.
 *
 * Run as an ASan build with the user's LSAN_OPTIONS=use_tls=0, it must be
 * judged clean: the memory limit leakcheck sets must not start anything in
 * the program (a sanitizer's soft_rss_limit_mb thread did, and its glibc
 * TLS block, 288 bytes from allocate_dtv, then showed as a direct leak).
 */
int main(void)
{
    return 0;
}
