/* static_broken: a file that does not compile. The static analysers cannot
 * judge it: leakcheck must exit 2 with gcc's or clang's complaint, never
 * call it clean. It is never run. */
int main(void)
{
    return undeclared_variable;
}
