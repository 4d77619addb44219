/**
 * The EC2 instance types capacity planning knows: the families the defaults,
 * the example stacks and the README use (general purpose m5/m6i/m6a/m7i,
 * compute c6i/c7i, memory r6i/r7i, burstable t3, Graviton m6g/m7g/c7g/r7g,
 * NVIDIA GPU g5/g6), every size up to the largest non-metal one.
 *
 * Columns: type, vCPU, memory GiB, network interfaces of the default network
 * card, IPv4 addresses per interface, GPUs.
 * - vCPU, memory and GPUs: Amazon EC2 "Instance types" guide, specifications
 *   pages gp.html (general purpose), co.html (compute optimized),
 *   mo.html (memory optimized), ac.html (accelerated computing: g5 A10G,
 *   g6 L4: 1 GPU per size except 12xlarge/24xlarge 4 and 48xlarge 8).
 * - interfaces and addresses: awslabs/amazon-eks-ami tag v20260724
 *   (81fec2e895854f599974fe4d3d72f61c0a9aaffa),
 *   nodeadm/internal/kubelet/instance-info.jsonl (defaultMaxENIs,
 *   ipv4AddressesPerInterface), which nodeadm reads to set the kubelet's
 *   maxPods; the same numbers as the EC2 guide's "IP addresses per network
 *   interface per instance type" table.
 * A type missing here is reported by name (capacity planning cannot size it);
 * add its row from the same two sources.
 */
export const INSTANCE_TYPE_TABLE = `
c6i.large 2 4 3 10 0
c6i.xlarge 4 8 4 15 0
c6i.2xlarge 8 16 4 15 0
c6i.4xlarge 16 32 8 30 0
c6i.8xlarge 32 64 8 30 0
c6i.12xlarge 48 96 8 30 0
c6i.16xlarge 64 128 15 50 0
c6i.24xlarge 96 192 15 50 0
c6i.32xlarge 128 256 15 50 0

c7g.medium 1 2 2 4 0
c7g.large 2 4 3 10 0
c7g.xlarge 4 8 4 15 0
c7g.2xlarge 8 16 4 15 0
c7g.4xlarge 16 32 8 30 0
c7g.8xlarge 32 64 8 30 0
c7g.12xlarge 48 96 8 30 0
c7g.16xlarge 64 128 15 50 0

c7i.large 2 4 3 10 0
c7i.xlarge 4 8 4 15 0
c7i.2xlarge 8 16 4 15 0
c7i.4xlarge 16 32 8 30 0
c7i.8xlarge 32 64 8 30 0
c7i.12xlarge 48 96 8 30 0
c7i.16xlarge 64 128 15 50 0
c7i.24xlarge 96 192 15 50 0
c7i.48xlarge 192 384 15 50 0

g5.xlarge 4 16 4 15 1
g5.2xlarge 8 32 4 15 1
g5.4xlarge 16 64 8 30 1
g5.8xlarge 32 128 8 30 1
g5.12xlarge 48 192 15 50 4
g5.16xlarge 64 256 8 30 1
g5.24xlarge 96 384 15 50 4
g5.48xlarge 192 768 7 50 8

g6.xlarge 4 16 4 15 1
g6.2xlarge 8 32 4 15 1
g6.4xlarge 16 64 8 30 1
g6.8xlarge 32 128 8 30 1
g6.12xlarge 48 192 8 30 4
g6.16xlarge 64 256 15 50 1
g6.24xlarge 96 384 15 50 4
g6.48xlarge 192 768 15 50 8

m5.large 2 8 3 10 0
m5.xlarge 4 16 4 15 0
m5.2xlarge 8 32 4 15 0
m5.4xlarge 16 64 8 30 0
m5.8xlarge 32 128 8 30 0
m5.12xlarge 48 192 8 30 0
m5.16xlarge 64 256 15 50 0
m5.24xlarge 96 384 15 50 0

m6a.large 2 8 3 10 0
m6a.xlarge 4 16 4 15 0
m6a.2xlarge 8 32 4 15 0
m6a.4xlarge 16 64 8 30 0
m6a.8xlarge 32 128 8 30 0
m6a.12xlarge 48 192 8 30 0
m6a.16xlarge 64 256 15 50 0
m6a.24xlarge 96 384 15 50 0
m6a.32xlarge 128 512 15 50 0
m6a.48xlarge 192 768 15 50 0

m6g.medium 1 4 2 4 0
m6g.large 2 8 3 10 0
m6g.xlarge 4 16 4 15 0
m6g.2xlarge 8 32 4 15 0
m6g.4xlarge 16 64 8 30 0
m6g.8xlarge 32 128 8 30 0
m6g.12xlarge 48 192 8 30 0
m6g.16xlarge 64 256 15 50 0

m6i.large 2 8 3 10 0
m6i.xlarge 4 16 4 15 0
m6i.2xlarge 8 32 4 15 0
m6i.4xlarge 16 64 8 30 0
m6i.8xlarge 32 128 8 30 0
m6i.12xlarge 48 192 8 30 0
m6i.16xlarge 64 256 15 50 0
m6i.24xlarge 96 384 15 50 0
m6i.32xlarge 128 512 15 50 0

m7g.medium 1 4 2 4 0
m7g.large 2 8 3 10 0
m7g.xlarge 4 16 4 15 0
m7g.2xlarge 8 32 4 15 0
m7g.4xlarge 16 64 8 30 0
m7g.8xlarge 32 128 8 30 0
m7g.12xlarge 48 192 8 30 0
m7g.16xlarge 64 256 15 50 0

m7i.large 2 8 3 10 0
m7i.xlarge 4 16 4 15 0
m7i.2xlarge 8 32 4 15 0
m7i.4xlarge 16 64 8 30 0
m7i.8xlarge 32 128 8 30 0
m7i.12xlarge 48 192 8 30 0
m7i.16xlarge 64 256 15 50 0
m7i.24xlarge 96 384 15 50 0
m7i.48xlarge 192 768 15 50 0

r6i.large 2 16 3 10 0
r6i.xlarge 4 32 4 15 0
r6i.2xlarge 8 64 4 15 0
r6i.4xlarge 16 128 8 30 0
r6i.8xlarge 32 256 8 30 0
r6i.12xlarge 48 384 8 30 0
r6i.16xlarge 64 512 15 50 0
r6i.24xlarge 96 768 15 50 0
r6i.32xlarge 128 1024 15 50 0

r7g.medium 1 8 2 4 0
r7g.large 2 16 3 10 0
r7g.xlarge 4 32 4 15 0
r7g.2xlarge 8 64 4 15 0
r7g.4xlarge 16 128 8 30 0
r7g.8xlarge 32 256 8 30 0
r7g.12xlarge 48 384 8 30 0
r7g.16xlarge 64 512 15 50 0

r7i.large 2 16 3 10 0
r7i.xlarge 4 32 4 15 0
r7i.2xlarge 8 64 4 15 0
r7i.4xlarge 16 128 8 30 0
r7i.8xlarge 32 256 8 30 0
r7i.12xlarge 48 384 8 30 0
r7i.16xlarge 64 512 15 50 0
r7i.24xlarge 96 768 15 50 0
r7i.48xlarge 192 1536 15 50 0

t3.nano 2 0.5 2 2 0
t3.micro 2 1 2 2 0
t3.small 2 2 3 4 0
t3.medium 2 4 3 6 0
t3.large 2 8 3 12 0
t3.xlarge 4 16 4 15 0
t3.2xlarge 8 32 4 15 0`;
