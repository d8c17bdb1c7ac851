"""SMS gateways: Aliyun and Tencent Cloud adapters and a simulator."""
