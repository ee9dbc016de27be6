/**
 * Node warns (DEP0123) when a TLS ServerName is an IP address, which @grpc/grpc-js sets whenever the
 * address is one (`--address 127.0.0.1:7233 --tls-ca ...`) and no --tls-server-name is given. The
 * certificate is still checked against the IP; the warning is noise that breaks the one-line errors.
 * Every other warning is printed as Node prints it.
 */
export function quietIpServerNameWarning(): void {
  const defaults = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    if (warning.code === 'DEP0123') return;
    for (const listener of defaults) listener(warning);
  });
}
