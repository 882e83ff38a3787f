"""nginx serving an answer's exact bytes from files: the ceiling for an HTTP answer of that size
on this machine, measured in the same run."""

import os
import subprocess
import time

from common import children, free_port, http_get


class Nginx:
    def __init__(self, workdir, files):
        self.dir = os.path.join(workdir, "nginx")
        os.makedirs(os.path.join(self.dir, "www"), exist_ok=True)
        os.chmod(workdir, 0o755)
        os.chmod(self.dir, 0o755)
        os.chmod(os.path.join(self.dir, "www"), 0o755)
        for name, body in files.items():
            path = os.path.join(self.dir, "www", name)
            with open(path, "wb") as f:
                f.write(body)
            os.chmod(path, 0o644)
        self.port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""{user}
worker_processes auto;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    types {{ application/json json; }}
    client_body_temp_path {self.dir}/tmp;
    proxy_temp_path {self.dir}/tmp;
    fastcgi_temp_path {self.dir}/tmp;
    uwsgi_temp_path {self.dir}/tmp;
    scgi_temp_path {self.dir}/tmp;
    server {{
        listen 127.0.0.1:{self.port};
        root {self.dir}/www;
    }}
}}
""")
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        self.process = subprocess.Popen(["nginx", "-c", conf, "-p", self.dir, "-g", "daemon off;"])
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                http_get(self.port, "/" + next(iter(files)))
                break
            except OSError:
                time.sleep(0.05)

    def pids(self):
        return [self.process.pid, *children(self.process.pid)]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
