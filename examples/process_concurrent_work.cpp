// The article's generic helper, ported line by line:
//
//   func ProcessConcurrentWork[T any](items []T, limit int, work func(T)) {
//       sem := make(chan struct{}, limit)
//       var wg sync.WaitGroup
//       for _, item := range items {
//           wg.Add(1)
//           go func(it T) {
//               defer wg.Done()
//               sem <- struct{}{}        // acquire a slot
//               defer func() { <-sem }() // release it
//               work(it)
//           }(item)
//       }
//       wg.Wait()
//   }
//
// A goroutine per item (cheap: goroutines park, they do not hold threads),
// at most `limit` of them inside work() at once.
//
//   usage: process_concurrent_work [payments=500] [limit=20]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <gocxx/gocxx.hpp>

using namespace std::chrono_literals;
using namespace gocxx;  // Go's package names: sync::WaitGroup, time::sleep

template <class T, class F>
void process_concurrent_work(const std::vector<T>& items, int limit, F work) {
    Channel<Unit> sem(limit);  // sem := make(chan struct{}, limit)
    sync::WaitGroup wg;
    for (const T& item : items) {
        wg.add(1);
        gocxx::go([&](T it) {
            auto done = defer([&] { wg.done(); });
            sem.send({});                            // sem <- struct{}{}
            auto release = defer([&] { sem.recv(); });  // defer func() { <-sem }()
            work(it);
        }, item);
    }
    wg.wait();
}

struct Payment {
    int id;
    long cents;
};

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 500;
    const int limit = argc > 2 ? std::atoi(argv[2]) : 20;
    return gocxx::run([=] {
        std::vector<Payment> payments;
        for (int i = 0; i < n; i++) payments.push_back({i, 100 + i});

        std::atomic<int> in_flight{0}, max_in_flight{0}, checked{0};
        auto start = time::now();
        process_concurrent_work(payments, limit, [&](Payment p) {
            int now = ++in_flight;
            for (int seen = max_in_flight; now > seen && !max_in_flight.compare_exchange_weak(seen, now);) {
            }
            time::sleep(10ms);  // the slow third-party API: about 10ms a call
            (void)p;
            --in_flight;
            ++checked;
        });
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time::now() - start).count();
        std::printf("checked %d payments, max in flight %d (limit %d), wall time %lld ms (ideal %d ms)\n",
                    checked.load(), max_in_flight.load(), limit, static_cast<long long>(ms),
                    limit > 0 ? (n + limit - 1) / limit * 10 : 0);
    });
}
