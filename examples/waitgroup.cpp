// sync.WaitGroup on its own: start workers, wait for all of them.
//
//   func main() {
//       var wg sync.WaitGroup
//       for i := 1; i <= 5; i++ {
//           wg.Add(1)
//           go func(id int) {
//               defer wg.Done()
//               worker(id)
//           }(i)
//       }
//       wg.Wait()
//   }
#include <chrono>
#include <cstdio>

#include <gocxx/gocxx.hpp>

using namespace std::chrono_literals;
using namespace gocxx;  // Go's package names: sync::WaitGroup, time::sleep

void worker(int id) {
    std::printf("worker %d starting\n", id);
    time::sleep(10ms);
    std::printf("worker %d done\n", id);
}

int main() {
    return gocxx::run([] {
        sync::WaitGroup wg;
        for (int i = 1; i <= 5; i++) {
            wg.add(1);
            gocxx::go([&wg](int id) {
                auto done = gocxx::defer([&] { wg.done(); });
                worker(id);
            }, i);
        }
        wg.wait();
        std::printf("all workers done\n");
    });
}
