// An exception escaping a goroutine ends the process like Go's unrecovered
// panic: "panic: ..." on stderr, then abort().
#include <cstdio>
#include <stdexcept>

#include <gocxx/gocxx.hpp>

using namespace gocxx;

int main() {
    return gocxx::run([] {
        Channel<int> never;
        go([] { throw std::runtime_error("boom"); });
        never.recv();  // main waits; the panic ends the process first
        std::printf("unreachable\n");
    });
}
