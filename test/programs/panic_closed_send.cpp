// A send on a closed channel in a goroutine: Go's "panic: send on closed
// channel", then the process aborts.
#include <cstdio>

#include <gocxx/gocxx.hpp>

using namespace gocxx;

int main() {
    return gocxx::run([] {
        Channel<int> ch(1);
        Channel<int> never;
        go([ch] {
            ch.close();
            ch.send(1);
        });
        never.recv();
        std::printf("unreachable\n");
    });
}
