// The second attempt: a goroutine per payment and nothing else. Fast, and it
// floods the partner: every call is in flight at once.
//
//   usage: naive [payments=200]
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
    return gocxx::run([=] {
        std::vector<Payment> payments;
        for (int i = 0; i < n; i++) payments.push_back({i});

        auto start = time::now();
        std::atomic<int> processed{0};
        sync::WaitGroup wg;
        for (Payment p : payments) {
            wg.add(1);
            gocxx::go([&, p] {
                auto done = gocxx::defer([&] { wg.done(); });
                if (check_remote(p)) processed++;
            });
        }
        wg.wait();
        auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(time::now() - start);

        std::printf("processed %d payments, max in flight %d (no limit), wall time %lld ms\n",
                    processed.load(), max_in_flight.load(), static_cast<long long>(elapsed.count()));
    });
}
