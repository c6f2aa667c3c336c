"""A tiny HTTP proxy that only tunnels (CONNECT), as the proxies of
municipal networks do for HTTPS, for the screen test of the client behind
one (tests/screen/proxy.exp).

usage: connect_proxy.py PORT_FILE LOG

Each CONNECT request line is written to LOG; the port (picked free on
127.0.0.1) is written to PORT_FILE once it listens; it runs until
killed."""

import socket
import sys
import threading


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def tunnel(client, log):
    head = b""
    while b"\r\n\r\n" not in head:
        data = client.recv(4096)
        if not data:
            client.close()
            return
        head += data
    line = head.split(b"\r\n", 1)[0].decode("latin-1")
    log.write(line + "\n")
    log.flush()
    words = line.split()
    if len(words) != 3 or words[0] != "CONNECT":
        client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n"
                       b"Content-Length: 0\r\nConnection: close\r\n\r\n")
        client.close()
        return
    host, port = words[1].rsplit(":", 1)
    try:
        server = socket.create_connection((host, int(port)))
    except OSError:
        client.sendall(b"HTTP/1.1 502 Bad Gateway\r\n"
                       b"Content-Length: 0\r\nConnection: close\r\n\r\n")
        client.close()
        return
    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    threading.Thread(target=pipe, args=(client, server), daemon=True).start()
    pipe(server, client)


def main():
    port_file, log_path = sys.argv[1], sys.argv[2]
    log = open(log_path, "a")
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=tunnel, args=(client, log),
                         daemon=True).start()


if __name__ == "__main__":
    main()
