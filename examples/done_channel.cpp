// The semaphore pattern with a done channel instead of a WaitGroup: each
// goroutine reports on `done`, and main receives once per payment.
//
//   usage: done_channel [payments=200] [limit=10]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <gocxx/gocxx.hpp>

using namespace std::chrono_literals;
using namespace gocxx;  // Go's package names: sync::WaitGroup, time::sleep

struct Payment {
    int id;
};

std::atomic<int> in_flight{0};
std::atomic<int> max_in_flight{0};

// The slow third-party API: about 10ms a call.
bool check_remote(Payment) {
    int now = in_flight.fetch_add(1) + 1;
    int seen = max_in_flight.load();
    while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
    }
    time::sleep(10ms);
    in_flight.fetch_sub(1);
    return true;
}

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 200;
    const int limit = argc > 2 ? std::atoi(argv[2]) : 10;
    return gocxx::run([=] {
        std::vector<Payment> payments;
        for (int i = 0; i < n; i++) payments.push_back({i});

        auto start = time::now();
        gocxx::Channel<gocxx::Unit> sem(limit);          // sem := make(chan struct{}, limit)
        gocxx::Channel<bool> done(payments.size());      // done := make(chan bool, len(payments))
        for (Payment p : payments) {
            sem.send({});
            gocxx::go([sem, done, p] {
                bool ok = check_remote(p);
                sem.recv();
                done.send(ok);
            });
        }
        int processed = 0;
        for (std::size_t i = 0; i < payments.size(); i++) {
            if (done.recv()) processed++;
        }
        auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(time::now() - start);

        std::printf("processed %d payments, max in flight %d (limit %d), wall time %lld ms\n",
                    processed, max_in_flight.load(), limit, static_cast<long long>(elapsed.count()));
    });
}
