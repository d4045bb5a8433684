import type { Platform } from '../domain/people.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { AddressBook } from '../ports.ts';

export class PrismaAddressBook implements AddressBook {
  /** Addresses rarely change and are read on every proactive send: keep what was last seen. */
  private readonly cache = new Map<string, Record<string, unknown>>();

  constructor(private readonly prisma: PrismaClient) {}

  async get(platform: Platform, key: string) {
    const cached = this.cache.get(`${platform}:${key}`);
    if (cached) return cached;
    const row = await this.prisma.conversationAddress.findUnique({ where: { platform_key: { platform, key } } });
    const address = row?.address as Record<string, unknown> | undefined;
    if (address) this.cache.set(`${platform}:${key}`, address);
    return address;
  }

  async put(platform: Platform, key: string, address: Record<string, unknown>) {
    const cacheKey = `${platform}:${key}`;
    if (JSON.stringify(this.cache.get(cacheKey)) === JSON.stringify(address)) return;
    const json = address as Prisma.InputJsonValue;
    await this.prisma.conversationAddress.upsert({
      where: { platform_key: { platform, key } },
      create: { platform, key, address: json },
      update: { address: json },
    });
    this.cache.set(cacheKey, address);
  }
}
