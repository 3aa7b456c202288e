// v := <-ch and v, ok := <-ch: the zero value and ok == false once closed and drained.
#include <string>

#include "fmt.hpp"

using namespace gocxx;

struct point {  // type point struct {
    int x, y;   //     x, y int
};

int main() {
    return gocxx::run([] {
        Channel<std::string> ch(2);                        // ch := make(chan string, 2)
        ch.send("one");                                    // ch <- "one"
        ch.send("two");                                    // ch <- "two"
        ch.close();                                        // close(ch)
        auto [v, ok] = ch.recv_ok();                       // v, ok := <-ch
        fmt::Println("[" + v + "]", ok);                   // fmt.Println("["+v+"]", ok)
        std::tie(v, ok) = ch.recv_ok();                    // v, ok = <-ch
        fmt::Println("[" + v + "]", ok);
        std::tie(v, ok) = ch.recv_ok();                    // v, ok = <-ch
        fmt::Println("[" + v + "]", ok);
        v = ch.recv();                                     // v = <-ch
        fmt::Println("[" + v + "]");

        Channel<point> pc(1);                              // pc := make(chan point, 1)
        pc.send(point{1, 2});                              // pc <- point{1, 2}
        pc.close();                                        // close(pc)
        auto [p, pok] = pc.recv_ok();                      // p, ok := <-pc
        fmt::Println(p.x, p.y, pok);                       // fmt.Println(p.x, p.y, ok)
        std::tie(p, pok) = pc.recv_ok();                   // p, ok = <-pc
        fmt::Println(p.x, p.y, pok);

        Channel<int> ic;                                   // ic := make(chan int)
        go([ic] {                                          // go func() {
            ic.send(5);                                    //     ic <- 5
            ic.close();                                    //     close(ic)
        });
        auto [n, nok] = ic.recv_ok();                      // n, ok := <-ic
        fmt::Println(n, nok);
        std::tie(n, nok) = ic.recv_ok();                   // n, ok = <-ic
        fmt::Println(n, nok);
        fmt::Println(ic.recv());                           // fmt.Println(<-ic)
    });
}
