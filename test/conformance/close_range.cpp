// close(ch), for v := range ch, and what close does to blocked parties.
#include <algorithm>
#include <string>
#include <vector>

#include "fmt.hpp"

using namespace gocxx;

int main() {
    return gocxx::run([] {
        Channel<int> ch(5);                                    // ch := make(chan int, 5)
        for (int i = 1; i <= 3; i++) {                         // for i := 1; i <= 3; i++ {
            ch.send(i);                                        //     ch <- i
        }
        ch.close();                                            // close(ch)
        fmt::Println("len after close", ch.len());
        for (int v : ch) {                                     // for v := range ch {
            fmt::Println("range", v);                          //     fmt.Println("range", v)
        }
        int a = ch.recv();
        int b = ch.recv();
        fmt::Println("after drain", a, b);                     // fmt.Println("after drain", <-ch, <-ch)

        // A producer closes to end the consumer's range.
        Channel<std::string> words;                            // words := make(chan string)
        go([words] {                                           // go func() {
            for (std::string w : {"alpha", "beta", "gamma"}) { //     for _, w := range []string{...} {
                words.send(w);                                 //         words <- w
            }
            words.close();                                     //     close(words)
        });
        for (std::string w : words) {                          // for w := range words {
            fmt::Println("word", w);                           //     fmt.Println("word", w)
        }

        // Receivers blocked at close wake with the zero value and ok == false.
        Channel<int> c;                                        // c := make(chan int)
        Channel<std::string> results;                          // results := make(chan string)
        for (int i = 0; i < 3; i++) {                          // for i := 0; i < 3; i++ {
            go([=] {                                           //     go func() {
                auto [v, ok] = c.recv_ok();                    //         v, ok := <-c
                results.send(fmt::Sprint(v, " ", ok));         //         results <- fmt.Sprint(v, " ", ok)
            });
        }
        c.close();                                             // close(c)
        std::vector<std::string> got;                          // got := []string{}
        for (int i = 0; i < 3; i++) {                          // for i := 0; i < 3; i++ {
            got.push_back(results.recv());                     //     got = append(got, <-results)
        }
        std::sort(got.begin(), got.end());                     // sort.Strings(got)
        for (const auto& g : got) {                            // for _, g := range got {
            fmt::Println("woken:", g);                         //     fmt.Println("woken:", g)
        }

        // A sender blocked at close panics with "send on closed channel".
        Channel<int> s;                                        // s := make(chan int)
        Channel<std::string> panicked;                         // panicked := make(chan string)
        go([=] {                                               // go func() {
            try {                                              //     defer func() { panicked <- fmt.Sprint(recover()) }()
                s.send(1);                                     //     s <- 1
            } catch (const Panic& e) {
                panicked.send(e.what());
            }
        });
        s.close();                                             // close(s)
        fmt::Println("blocked sender:", panicked.recv());

        // range over a channel closed while empty ends at once.
        Channel<int> empty;                                    // empty := make(chan int)
        empty.close();                                         // close(empty)
        int n = 0;                                             // n := 0
        for ([[maybe_unused]] int v : empty) {                 // for range empty {
            n++;                                               //     n++
        }
        fmt::Println("iterations", n);                         // fmt.Println("iterations", n)
    });
}
