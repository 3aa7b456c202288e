// sync.Mutex: mutual exclusion, TryLock, unlock by another goroutine.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;

struct counter {                         // type counter struct {
    sync::Mutex mu;                      //     mu sync.Mutex
    std::map<std::string, int> m;        //     m  map[string]int

    void inc(const std::string& k) {     // func (c *counter) inc(k string) {
        std::lock_guard<sync::Mutex> lock(mu);  // c.mu.Lock(); defer c.mu.Unlock()
        m[k]++;                          //     c.m[k]++
    }
};

int main() {
    return gocxx::run([] {
        sync::Mutex mu;                                   // var mu sync.Mutex
        int count = 0;                                    // count := 0
        sync::WaitGroup wg;                               // var wg sync.WaitGroup
        for (int i = 0; i < 10; i++) {                    // for i := 0; i < 10; i++ {
            wg.add(1);                                    //     wg.Add(1)
            go([&] {                                      //     go func() {
                auto guard = defer([&] { wg.done(); });   //         defer wg.Done()
                for (int j = 0; j < 1000; j++) {          //         for j := 0; j < 1000; j++ {
                    mu.lock();                            //             mu.Lock()
                    count++;                              //             count++
                    mu.unlock();                          //             mu.Unlock()
                }
            });
        }
        wg.wait();                                        // wg.Wait()
        fmt::Println("count", count);

        mu.lock();                                        // mu.Lock()
        fmt::Println("trylock while held", mu.try_lock());
        // Go's Mutex is not tied to a goroutine: another one may unlock it.
        Channel<bool> done;                               // done := make(chan bool)
        go([&mu, done] {                                  // go func() {
            mu.unlock();                                  //     mu.Unlock()
            done.send(true);                              //     done <- true
        });
        done.recv();                                      // <-done
        fmt::Println("trylock after another goroutine unlocked", mu.try_lock());
        mu.unlock();                                      // mu.Unlock()

        // Lock waits for the holder to unlock.
        mu.lock();                                        // mu.Lock()
        Channel<bool> acquired;                           // acquired := make(chan bool)
        go([&mu, acquired] {                              // go func() {
            mu.lock();                                    //     mu.Lock()
            fmt::Println("goroutine got the lock");
            mu.unlock();                                  //     mu.Unlock()
            acquired.send(true);                          //     acquired <- true
        });
        fmt::Println("main unlocking");
        mu.unlock();                                      // mu.Unlock()
        acquired.recv();                                  // <-acquired

        // The lock hands the critical section from goroutine to goroutine in turn.
        counter c;                                        // c := counter{m: map[string]int{}}
        std::vector<std::string> keys{"a", "b", "c"};     // keys := []string{"a", "b", "c"}
        for (int i = 0; i < 30; i++) {                    // for i := 0; i < 30; i++ {
            wg.add(1);                                    //     wg.Add(1)
            go([&](int i) {                               //     go func(i int) {
                auto guard = defer([&] { wg.done(); });   //         defer wg.Done()
                c.inc(keys[i % 3]);                       //         c.inc(keys[i%3])
            }, i);                                        //     }(i)
        }
        wg.wait();                                        // wg.Wait()
        fmt::Println("a", c.m["a"], "b", c.m["b"], "c", c.m["c"]);
    });
}
