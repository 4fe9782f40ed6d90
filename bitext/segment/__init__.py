"""Segmentation: Chinese sentence rules (``zh``), English sentences (``en``), jieba words (``words``)."""
