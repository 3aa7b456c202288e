// sync.Cond: a queue guarded by a Mutex; Signal wakes one waiter, Broadcast all.
#include <algorithm>
#include <deque>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;

int main() {
    return gocxx::run([] {
        sync::Mutex mu;                                    // var mu sync.Mutex
        sync::Cond cond(mu);                               // cond := sync.NewCond(&mu)
        std::deque<int> queue;                             // queue := []int{}
        bool closed = false;                               // closed := false
        sync::WaitGroup wg;                                // var wg sync.WaitGroup
        Channel<int> results(10);                          // results := make(chan int, 10)
        for (int i = 0; i < 3; i++) {                      // for i := 0; i < 3; i++ {
            wg.add(1);                                     //     wg.Add(1)
            go([&] {                                       //     go func() {
                auto guard = defer([&] { wg.done(); });    //         defer wg.Done()
                for (;;) {                                 //         for {
                    mu.lock();                             //             mu.Lock()
                    while (queue.empty() && !closed) {     //             for len(queue) == 0 && !closed {
                        cond.wait();                       //                 cond.Wait()
                    }
                    if (queue.empty()) {                   //             if len(queue) == 0 {
                        mu.unlock();                       //                 mu.Unlock()
                        return;                            //                 return
                    }
                    int v = queue.front();                 //             v := queue[0]
                    queue.pop_front();                     //             queue = queue[1:]
                    mu.unlock();                           //             mu.Unlock()
                    results.send(v * 10);                  //             results <- v * 10
                }
            });
        }
        for (int i = 1; i <= 10; i++) {                    // for i := 1; i <= 10; i++ {
            mu.lock();                                     //     mu.Lock()
            queue.push_back(i);                            //     queue = append(queue, i)
            mu.unlock();                                   //     mu.Unlock()
            cond.signal();                                 //     cond.Signal()
        }
        mu.lock();                                         // mu.Lock()
        closed = true;                                     // closed = true
        mu.unlock();                                       // mu.Unlock()
        cond.broadcast();                                  // cond.Broadcast()
        wg.wait();                                         // wg.Wait()
        results.close();                                   // close(results)
        std::vector<int> got;                              // got := []int{}
        for (int v : results) {                            // for v := range results {
            got.push_back(v);                              //     got = append(got, v)
        }
        std::sort(got.begin(), got.end());                 // sort.Ints(got)
        fmt::Println(got);

        // Broadcast wakes every waiter.
        bool ready = false;                                // ready := false
        Channel<int> woken(5);                             // woken := make(chan int, 5)
        sync::WaitGroup waiting;                           // var waiting sync.WaitGroup
        for (int i = 0; i < 5; i++) {                      // for i := 0; i < 5; i++ {
            waiting.add(1);                                //     waiting.Add(1)
            go([&, woken](int i) {                         //     go func(i int) {
                mu.lock();                                 //         mu.Lock()
                waiting.done();                            //         waiting.Done()
                while (!ready) {                           //         for !ready {
                    cond.wait();                           //             cond.Wait()
                }
                mu.unlock();                               //         mu.Unlock()
                woken.send(i);                             //         woken <- i
            }, i);
        }
        waiting.wait();                                    // waiting.Wait()
        mu.lock();                                         // mu.Lock()
        ready = true;                                      // ready = true
        mu.unlock();                                       // mu.Unlock()
        cond.broadcast();                                  // cond.Broadcast()
        int sum = 0;                                       // sum := 0
        for (int i = 0; i < 5; i++) {                      // for i := 0; i < 5; i++ {
            sum += woken.recv();                           //     sum += <-woken
        }
        fmt::Println("woken sum", sum);
    });
}
