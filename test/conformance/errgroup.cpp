// golang.org/x/sync/errgroup: Go, Wait, WithContext, SetLimit, TryGo.
#include <algorithm>
#include <atomic>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;

const Error errBad("bad input");  // var errBad = errors.New("bad input")

int main() {
    return gocxx::run([] {
        errgroup::Group g;                                       // var g errgroup.Group
        sync::Mutex mu;                                          // var mu sync.Mutex
        std::vector<int> res;                                    // res := []int{}
        for (int i = 1; i <= 5; i++) {                           // for i := 1; i <= 5; i++ {
            g.go([&, i]() -> Error {                             //     g.Go(func() error {
                mu.lock();                                       //         mu.Lock()
                res.push_back(i * 10);                           //         res = append(res, i*10)
                mu.unlock();                                     //         mu.Unlock()
                return nullptr;                                  //         return nil
            });
        }
        fmt::Println("wait:", g.wait());                         // fmt.Println("wait:", g.Wait())
        std::sort(res.begin(), res.end());                       // sort.Ints(res)
        fmt::Println(res);

        // Wait returns the first error.
        errgroup::Group g2;                                      // var g2 errgroup.Group
        for (int i = 0; i < 5; i++) {                            // for i := 0; i < 5; i++ {
            g2.go([i]() -> Error {                               //     g2.Go(func() error {
                if (i == 3) {                                    //         if i == 3 {
                    return errBad;                               //             return errBad
                }
                return nullptr;                                  //         return nil
            });
        }
        Error err = g2.wait();                                   // err := g2.Wait()
        fmt::Println("wait:", err, err == errBad);

        // WithContext: the first error cancels the derived context.
        auto [g3, ctx] = errgroup::with_context(context::background());  // g3, ctx := errgroup.WithContext(...)
        g3.go([ctx = ctx]() -> Error {                           // g3.Go(func() error {
            ctx.done().recv();                                   //     <-ctx.Done()
            return ctx.err();                                    //     return ctx.Err()
        });
        g3.go([]() -> Error {                                    // g3.Go(func() error {
            return errBad;                                       //     return errBad
        });
        err = g3.wait();                                         // err = g3.Wait()
        fmt::Println("wait:", err, "ctx:", ctx.err());

        // Wait cancels the derived context even when all succeed.
        auto [g4, ctx4] = errgroup::with_context(context::background());
        g4.go([]() -> Error { return nullptr; });                // g4.Go(func() error { return nil })
        fmt::Println("before wait, ctx:", ctx4.err());
        err = g4.wait();                                         // err = g4.Wait()
        fmt::Println("wait:", err, "ctx:", ctx4.err());

        // SetLimit(2): at most two functions run at once.
        errgroup::Group g5;                                      // var g5 errgroup.Group
        g5.set_limit(2);                                         // g5.SetLimit(2)
        std::atomic<long> cur{0}, max{0};                        // var cur, max int64
        for (int i = 0; i < 10; i++) {                           // for i := 0; i < 10; i++ {
            g5.go([&]() -> Error {                               //     g5.Go(func() error {
                long n = cur.fetch_add(1) + 1;                   //         n := atomic.AddInt64(&cur, 1)
                for (;;) {
                    long m = max.load();
                    if (n <= m || max.compare_exchange_strong(m, n)) {
                        break;
                    }
                }
                runtime::gosched();                              //         runtime.Gosched()
                cur.fetch_sub(1);                                //         atomic.AddInt64(&cur, -1)
                return nullptr;                                  //         return nil
            });
        }
        g5.wait();                                               // g5.Wait()
        fmt::Println("max running <= 2", max.load() <= 2);

        // TryGo does not start a function while the group is at its limit.
        errgroup::Group g6;                                      // var g6 errgroup.Group
        g6.set_limit(1);                                         // g6.SetLimit(1)
        Channel<Unit> block;                                     // block := make(chan struct{})
        g6.go([block]() -> Error {                               // g6.Go(func() error {
            block.recv();                                        //     <-block
            return nullptr;                                      //     return nil
        });
        fmt::Println("trygo while full", g6.try_go([]() -> Error { return nullptr; }));
        block.close();                                           // close(block)
        g6.wait();                                               // g6.Wait()
        fmt::Println("trygo when free", g6.try_go([]() -> Error { return nullptr; }));
        fmt::Println("wait:", g6.wait());

        // Go waits for a free slot at the limit.
        errgroup::Group g7;                                      // var g7 errgroup.Group
        g7.set_limit(1);                                         // g7.SetLimit(1)
        Channel<int> order(3);                                   // order := make(chan int, 3)
        for (int i = 0; i < 3; i++) {                            // for i := 0; i < 3; i++ {
            g7.go([order, i]() -> Error {                        //     g7.Go(func() error {
                order.send(i);                                   //         order <- i
                return nullptr;                                  //         return nil
            });
        }
        g7.wait();                                               // g7.Wait()
        order.close();                                           // close(order)
        std::vector<int> seq;                                    // seq := []int{}
        for (int v : order) {                                    // for v := range order {
            seq.push_back(v);                                    //     seq = append(seq, v)
        }
        fmt::Println("one at a time, in order", seq);
    });
}
