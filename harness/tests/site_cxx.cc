// site_cxx: a C++ program whose leak is allocated in ns::bad().
//
// Detectors print the frame as "ns::bad()" (demangled, with its parameter
// list). --site=bad (the unqualified name), --site=ns::bad and
// --site=ns::bad() must all find it; --site=ad and --site=other::bad must not.
#include <cstdio>

namespace ns {
__attribute__((noinline)) char *bad()
{
    return new char[48]; // LEAK: nothing keeps the pointer
}
} // namespace ns

int main()
{
    for (int i = 0; i < 3; i++)
        ns::bad()[0] = 'x';
    std::printf("three blocks of 48 bytes lost\n");
    return 0;
}
