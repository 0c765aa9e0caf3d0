import type { Client } from '@modelcontextprotocol/client';

type StatusListener = (params: unknown) => void;

const feeds = new WeakMap<Client, Set<StatusListener>>();

/**
 * `notifications/tasks/status` of one client, for the task runs that listen. The SDK's typed surface takes no
 * handler for the tasks methods, so the client's fallback notification handler feeds them (any fallback already
 * set still gets every other notification). Installed once per client.
 */
export function onTaskStatusNotification(client: Client, listener: StatusListener): () => void {
  let listeners = feeds.get(client);
  if (!listeners) {
    const created = new Set<StatusListener>();
    listeners = created;
    feeds.set(client, created);
    const previous = client.fallbackNotificationHandler;
    client.fallbackNotificationHandler = async (notification) => {
      if (notification.method === 'notifications/tasks/status') {
        for (const notify of [...created]) notify(notification.params);
        return;
      }
      await previous?.(notification);
    };
  }
  listeners.add(listener);
  const registered = listeners;
  return () => registered.delete(listener);
}
