// The first attempt: check each payment in turn. Correct, and far too slow:
// the wall time is the sum of every call's latency.
//
//   usage: sequential [payments=200]
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

// The slow third-party API: about 10ms a call.
bool check_remote(Payment) {
    time::sleep(10ms);
    return true;
}

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 200;
    return gocxx::run([=] {
        std::vector<Payment> payments;
        for (int i = 0; i < n; i++) payments.push_back({i});

        auto start = time::now();
        int processed = 0;
        for (Payment p : payments) {
            if (check_remote(p)) processed++;
        }
        auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(time::now() - start);

        std::printf("processed %d payments, max in flight 1, wall time %lld ms\n", processed,
                    static_cast<long long>(elapsed.count()));
    });
}
