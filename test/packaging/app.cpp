// A consumer of an installed or subproject gocxx: a goroutine per item, a
// buffered channel as the results' queue, a WaitGroup. Prints "sum 5050".
#include <cstdio>

#include <gocxx/gocxx.hpp>

int main() {
    int sum = 0;
    gocxx::run([&] {
        gocxx::Channel<int> results(100);
        gocxx::sync::WaitGroup wg;
        for (int i = 1; i <= 100; ++i) {
            wg.add(1);
            gocxx::go([&wg, results, i] {
                results.send(i);
                wg.done();
            });
        }
        wg.wait();
        results.close();
        for (int v : results) sum += v;
    });
    std::printf("sum %d\n", sum);
    return sum == 5050 ? 0 : 1;
}
